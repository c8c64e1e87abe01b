// The SDK ships the generated models' types apart from their JavaScript: map the deep imports the
// tests use (the package root loads the whole SDK, about 3 s) to their declarations.
declare module '@okta/okta-sdk-nodejs/src/generated/models/PossessionConstraint' {
  export { PossessionConstraint } from '@okta/okta-sdk-nodejs/src/types/generated/models/PossessionConstraint';
}
declare module '@okta/okta-sdk-nodejs/src/generated/models/AccessPolicyConstraints' {
  export { AccessPolicyConstraints } from '@okta/okta-sdk-nodejs/src/types/generated/models/AccessPolicyConstraints';
}
declare module '@okta/okta-sdk-nodejs/src/generated/models/AuthenticationMethodObject' {
  export { AuthenticationMethodObject } from '@okta/okta-sdk-nodejs/src/types/generated/models/AuthenticationMethodObject';
}
