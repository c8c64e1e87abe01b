/** The review's secrets settings. */
import { isObject } from '../../model/json';
import { readBoolean, readEntries, readNumber, readSet, readText } from '../values';
import { higherIsWeaker, becameTrue, grew, perKey } from './comparators';
import type { SettingExtractor } from './extractor';
import { UNSET_IS_LONGEST, days, roleTtls } from './readers';

/** Settings of the secrets layer, in report order. */
export const SECRETS_SETTINGS: readonly SettingExtractor[] = [
  {
    id: 'secrets.mount',
    layer: 'secrets',
    label: 'Vault mount (path, type)',
    types: ['vault_mount'],
    read: (b) => {
      const options = isObject(b.options) ? b.options : {};
      const version = options.version !== undefined ? ` v${readText(options.version)}` : '';
      return `${readText(b.path) ?? 'not set'} (${readText(b.type) ?? 'no type'}${version})`;
    },
  },
  ...roleTtls('vault_kubernetes_auth_backend_role', 'kubernetes'),
  {
    id: 'secrets.bound-service-accounts',
    layer: 'secrets',
    label: 'kubernetes role bound service accounts',
    types: ['vault_kubernetes_auth_backend_role'],
    read: (b) => readSet(b.bound_service_account_names),
    weaker: grew,
  },
  {
    id: 'secrets.bound-namespaces',
    layer: 'secrets',
    label: 'kubernetes role bound namespaces',
    types: ['vault_kubernetes_auth_backend_role'],
    read: (b) => readSet(b.bound_service_account_namespaces),
    weaker: grew,
  },
  ...roleTtls('vault_jwt_auth_backend_role', 'jwt'),
  {
    id: 'secrets.jwt-bound-audiences',
    layer: 'secrets',
    label: 'jwt role bound audiences',
    types: ['vault_jwt_auth_backend_role'],
    read: (b) => readSet(b.bound_audiences),
    weaker: grew,
  },
  {
    id: 'secrets.jwt-bound-claims',
    layer: 'secrets',
    label: 'jwt role bound claims',
    types: ['vault_jwt_auth_backend_role'],
    read: (b) => readEntries(b.bound_claims),
    weaker: perKey((was, now) => was !== now && now.includes('*'), true),
  },
  {
    id: 'secrets.key-rotation',
    layer: 'secrets',
    label: 'transit key auto_rotate_period',
    types: ['vault_transit_secret_backend_key'],
    read: (b) => readNumber(b.auto_rotate_period),
    show: days,
    // 0 (or unset) switches automatic rotation off: the weakest.
    weaker: higherIsWeaker((v) => (v === null || v === 0 ? UNSET_IS_LONGEST : typeof v === 'number' ? v : undefined)),
  },
  {
    id: 'secrets.key-exportable',
    layer: 'secrets',
    label: 'transit key exportable',
    types: ['vault_transit_secret_backend_key'],
    read: (b) => readBoolean(b.exportable),
    weaker: becameTrue,
  },
  {
    id: 'secrets.key-deletion-allowed',
    layer: 'secrets',
    label: 'transit key deletion_allowed',
    types: ['vault_transit_secret_backend_key'],
    read: (b) => readBoolean(b.deletion_allowed),
    weaker: becameTrue,
  },
];
