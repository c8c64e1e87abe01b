// The one module through which the framework is imported, so that moving to the CDK Terrain fork
// (`cdktn`) is a change to this file alone.
// First: defers two of the framework's own dependencies before the framework loads.
import './framework-preload';
import { installFastResolve, installNoCreationStacks } from './cdktf-performance';

// Loaded with the framework, so that everything built through this library is cheap to create and
// to synthesize (see cdktf-performance.ts: same output, measured by `npm run bench`).
installNoCreationStacks();
installFastResolve();

export {
  Annotations,
  App,
  Fn,
  Lazy,
  Op,
  TerraformElement,
  TerraformLocal,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
  TerraformVariable,
  Testing,
  Token,
} from 'cdktf';
export type { IResolvable, ITerraformDependable, TerraformResourceLifecycle } from 'cdktf';
export { Construct } from 'constructs';
export type { IConstruct } from 'constructs';
