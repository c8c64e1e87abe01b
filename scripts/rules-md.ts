// Prints RULES.md from the registered rules: `npm run rules:doc`.
import { renderRulesMarkdown } from '../lib/checks/rules-doc';
import { ALL_RULES } from '../lib/checks/rules';

process.stdout.write(renderRulesMarkdown(ALL_RULES));
