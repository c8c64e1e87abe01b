// @ts-check
import tseslint from 'typescript-eslint';
import { layerDirection } from './tools/eslint-layer-direction.mjs';

// Any @cdktf/provider-* package root: it loads every provider class (1.4 s, 420 MB); import /lib/<resource>.
const providerRoots = {
  regex: '^@cdktf/provider-[a-z0-9-]+/?$',
  message: 'Import the resource module (@cdktf/provider-<p>/lib/<resource>), never a provider package root: the root loads every provider class (1.4 s, 420 MB).',
};

export default tseslint.config(
  { ignores: ['dist/**', 'cdktf.out/**', 'node_modules/**', 'coverage/**', '.gen/**', '.stryker-tmp/**', 'reports/**', 'docs/api/**', 'dist-mcp-server/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [providerRoots] },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // The bench's child processes and the jest config are plain CommonJS scripts.
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // One-way dependencies between the modules of lib/ (see docs/architecture.md).
    files: ['lib/**/*.ts'],
    plugins: { house: { rules: { 'layer-direction': layerDirection } } },
    rules: { 'house/layer-direction': 'error' },
  },
  {
    // Framework imports pass through lib/core/cdktf.ts, so that a move to the CDK Terrain fork is one
    // file; only the explicit fast-synth opt-in reaches into the framework itself.
    files: ['lib/**/*.ts'],
    ignores: ['lib/core/cdktf.ts', 'lib/fast-synth/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'cdktf', message: 'Import the framework through lib/core/cdktf.' },
            { name: 'constructs', message: 'Import the framework through lib/core/cdktf.' },
          ],
          patterns: [providerRoots],
        },
      ],
    },
  },
);
