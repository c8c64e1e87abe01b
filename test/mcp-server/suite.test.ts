/** Every `*.cases.ts` of this folder, in one jest module registry: see test/cases.ts. */
import { registerCasesOf } from '../cases';

registerCasesOf(__dirname);
