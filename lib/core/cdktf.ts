// The one module through which the framework is imported, so that moving to the CDK Terrain fork
// (`cdktn`) is a change to this file alone. Importing it changes nothing in the framework: the
// synth speed-ups are an explicit opt-in (`enableFastSynth(app)`, lib/fast-synth).
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
export type { IConstruct, IValidation } from 'constructs';
