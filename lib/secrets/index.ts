export * from './tenant-vault-secrets';
export * from './vault-kubernetes-auth';
export * from './vault-audit-device';
export * from '../core/vault-policy';
export * from './tenant-policies';
