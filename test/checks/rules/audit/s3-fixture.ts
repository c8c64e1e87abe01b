import { s3AuditBackend } from '../../../../lib/audit/s3-audit-backend';
import { TenantAuditTrail } from '../../../../lib/audit/tenant-audit-trail';
import type { JsonObject } from '../../../../lib/model/stack';
import { clone, newStack, rawJson, resourcesOf, withProviders } from '../../../helpers';
import { ACCOUNT } from '../../../audit/fixtures';

let cached: JsonObject | undefined;

/** Raw JSON of acme's trail on the S3 backend (IRSA), computed once. */
export function s3Json(): JsonObject {
  if (!cached) {
    const stack = withProviders(newStack());
    new TenantAuditTrail(stack, 'Audit', {
      tenantId: 'acme',
      accountId: ACCOUNT,
      backend: s3AuditBackend({
        region: 'eu-central-1',
        bucketNamePrefix: 'example-',
        identity: { irsa: { oidcProviderArn: 'arn:aws:iam::1:oidc-provider/x', oidcIssuer: 'x' } },
      }),
    });
    cached = rawJson(stack);
  }
  return clone(cached);
}

/** The one resource of a type in the S3 JSON. */
export function only(json: JsonObject, type: string): [string, JsonObject] {
  const entries = Object.entries(resourcesOf(json, type));
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return entries[0];
}
