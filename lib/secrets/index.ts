export * from './tenant-vault-mount';
export * from './vault-kubernetes-auth';
export * from './vault-audit-device';
export * from './vault-policy';
export * from './tenant-policies';
