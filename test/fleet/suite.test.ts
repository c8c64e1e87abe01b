/** Every test of this folder (`*.cases.ts`), in one jest module registry: see test/cases.ts. */
import { registerCasesOf } from '../cases';

registerCasesOf(__dirname);
