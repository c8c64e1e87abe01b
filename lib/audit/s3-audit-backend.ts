/**
 * The AWS S3 audit backend: an {@link S3ObjectLockAuditBucket} per writer and a writer identity that
 * can only put objects into it, with no long-lived key. Pass `s3AuditBackend({...})` as `backend` to
 * `TenantAuditTrail`, `AccessRequestsAuditLog` or `SecureMcpAccess` (`audit.backend`).
 *
 * Requires @cdktf/provider-aws (an optional peer dependency), loaded only by this module.
 */
import { DataAwsS3Object } from '@cdktf/provider-aws/lib/data-aws-s3-object';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LogpushOwnershipChallenge } from '@cdktf/provider-cloudflare/lib/logpush-ownership-challenge';
import {
  AUDIT_VOLUMES,
  AWS_WEB_IDENTITY_AUDIENCE,
  AWS_WEB_IDENTITY_TOKEN_DIR,
  AWS_WEB_IDENTITY_TOKEN_SECONDS,
  EKS_POD_IDENTITY_PRINCIPAL,
  S3_WRITER_ACTION,
} from '../core/audit-defaults';
import { type Construct } from '../core/cdktf';
import { MCP_SERVICE_ACCOUNT_NAME, tenantNamespaceName } from '../core/naming';
import { PropsValidator } from '../core/validation';
import type { AuditBackend, AuditStore, AuditStoreRequest } from './audit-backend';
import { S3ObjectLockAuditBucket } from './s3-object-lock-audit-bucket';

/** How the shipper assumes its writer role: IRSA (a projected token, shipper only) or EKS Pod Identity. */
export type S3WriterIdentity =
  /**
   * IAM roles for service accounts through a web identity: the shipper alone mounts a projected
   * service-account token with audience `sts.amazonaws.com` and exchanges it for the role
   * (Fluent Bit's AWS credential chain reads AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE). The
   * tighter choice: no other container of the pod gets the role.
   */
  | {
      readonly irsa: {
        /** ARN of the cluster's IAM OIDC provider. */
        readonly oidcProviderArn: string;
        /** The cluster's OIDC issuer, without `https://` (e.g. `oidc.eks.eu-central-1.amazonaws.com/id/ABC`). */
        readonly oidcIssuer: string;
      };
    }
  /**
   * EKS Pod Identity (the agent add-on must run): the association gives the role to the pod's service
   * account, so EVERY container of the MCP pod can use it, the MCP server included.
   */
  | { readonly podIdentity: { readonly clusterName: string } };

/** Settings of the S3 backend. */
export interface S3AuditBackendSettings {
  /** AWS region of the buckets (a literal, e.g. `eu-central-1`). */
  readonly region: string;
  /**
   * Prefix of every bucket name (S3 names are global): `<prefix>mcp-audit-<tenant>`. Lower-case
   * letters, digits and hyphens, ending with a hyphen.
   */
  readonly bucketNamePrefix: string;
  /** How tenant shippers get their writer role (Logpush writers need none: Cloudflare's principal writes). */
  readonly identity: S3WriterIdentity;
  /** @default - SSE-S3 (AES256) */
  readonly kmsKeyArn?: string;
}

/** Validates {@link S3AuditBackendSettings}, throwing one error that names every problem. */
export function validateS3AuditBackendSettings(settings: S3AuditBackendSettings): void {
  const v = new PropsValidator('s3AuditBackend');
  v.required('region', settings.region);
  v.matches('region', settings.region, /^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as eu-central-1');
  v.matches(
    'bucketNamePrefix',
    settings.bucketNamePrefix,
    /^[a-z0-9][a-z0-9-]{0,30}-$/,
    'lower-case letters, digits and hyphens, ending with a hyphen (at most 32 characters)',
  );
  if (settings.identity === undefined) v.required('identity', settings.identity);
  v.throwIfInvalid();
}

/** The writer role's trust policy for a tenant's shipper. */
export function writerTrustPolicy(identity: S3WriterIdentity, tenantId: string): string {
  const namespace = tenantNamespaceName(tenantId);
  if ('irsa' in identity) {
    const issuer = identity.irsa.oidcIssuer;
    return JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: identity.irsa.oidcProviderArn },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              [`${issuer}:sub`]: `system:serviceaccount:${namespace}:${MCP_SERVICE_ACCOUNT_NAME}`,
              [`${issuer}:aud`]: AWS_WEB_IDENTITY_AUDIENCE,
            },
          },
        },
      ],
    });
  }
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: EKS_POD_IDENTITY_PRINCIPAL },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Condition: {
          StringEquals: {
            'aws:RequestTag/kubernetes-namespace': namespace,
            'aws:RequestTag/kubernetes-service-account': MCP_SERVICE_ACCOUNT_NAME,
          },
        },
      },
    ],
  });
}

/** The writer role's only permission: put objects under the tenant's prefix of its one bucket. */
export function writerPolicy(bucketArn: string, tenantId: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: [S3_WRITER_ACTION], Resource: `${bucketArn}/tenant=${tenantId}/*` }],
  });
}

/** The S3 store of one writer, with every resource it created. */
export interface S3AuditStore extends AuditStore {
  readonly bucket: S3ObjectLockAuditBucket;
  readonly writerRole?: IamRole;
  readonly writerPolicy?: IamRolePolicy;
  readonly writerIdentity?: EksPodIdentityAssociation;
  readonly ownershipChallenge?: LogpushOwnershipChallenge;
  readonly ownershipChallengeObject?: DataAwsS3Object;
}

/** The S3 backend (AWS S3 with Object Lock in compliance mode). */
export function s3AuditBackend(settings: S3AuditBackendSettings): AuditBackend {
  validateS3AuditBackendSettings(settings);
  const lockedBucket = (scope: Construct, request: Omit<AuditStoreRequest, 'writer'>, logpushPath?: string) =>
    new S3ObjectLockAuditBucket(scope, 'Bucket', {
      bucketName: `${settings.bucketNamePrefix}${request.bucketName}`,
      retentionDays: request.retention.indefinite === true ? undefined : request.retention.retentionDays,
      kmsKeyArn: settings.kmsKeyArn,
      logpushPath,
    });
  return {
    kind: 's3',
    retainBucket(scope: Construct, request: Omit<AuditStoreRequest, 'writer'>): string {
      return lockedBucket(scope, request).bucketName;
    },
    createStore(scope: Construct, request: AuditStoreRequest): S3AuditStore {
      const bucket = lockedBucket(scope, request, request.writer.kind === 'logpush' ? 'access-requests' : undefined);
      const shipperBucket = { bucket: bucket.bucketName, region: settings.region };
      const logpushDestination = (path: string) => `s3://${bucket.bucketName}/${path}?region=${settings.region}`;
      const writer = request.writer;
      if (writer.kind === 'logpush') {
        // Logpush proves it can write by writing a challenge file; Terraform reads it back (its own
        // identity may read the bucket) and hands it to the job, in the same apply.
        const ownershipChallenge = new LogpushOwnershipChallenge(scope, 'OwnershipChallenge', {
          accountId: writer.accountId,
          destinationConf: logpushDestination('access-requests/{DATE}'),
          dependsOn: [bucket.policy],
        });
        const ownershipChallengeObject = new DataAwsS3Object(scope, 'OwnershipChallengeObject', {
          bucket: bucket.bucketName,
          key: ownershipChallenge.filename,
        });
        return {
          kind: 's3',
          bucket,
          bucketName: bucket.bucketName,
          shipperBucket,
          shipperCredentials: { secretEnv: {} },
          logpushDestination,
          ownershipChallenge,
          ownershipChallengeObject,
          logpushOwnershipChallenge: ownershipChallengeObject.body,
        };
      }
      const writerRole = new IamRole(scope, 'Writer', {
        name: `${settings.bucketNamePrefix}${request.bucketName}-writer`,
        assumeRolePolicy: writerTrustPolicy(settings.identity, writer.tenantId),
        maxSessionDuration: 3600,
      });
      const policy = new IamRolePolicy(scope, 'WriterPolicy', {
        role: writerRole.id,
        name: 'put-audit-records',
        policy: writerPolicy(bucket.bucketArn, writer.tenantId),
      });
      const base: S3AuditStore = {
        kind: 's3',
        bucket,
        bucketName: bucket.bucketName,
        shipperBucket,
        shipperCredentials: { secretEnv: {} },
        writerRole,
        writerPolicy: policy,
        logpushDestination,
      };
      if ('podIdentity' in settings.identity) {
        const writerIdentity = new EksPodIdentityAssociation(scope, 'WriterIdentity', {
          clusterName: settings.identity.podIdentity.clusterName,
          namespace: tenantNamespaceName(writer.tenantId),
          serviceAccount: MCP_SERVICE_ACCOUNT_NAME,
          roleArn: writerRole.arn,
        });
        return { ...base, writerIdentity };
      }
      return {
        ...base,
        shipperCredentials: {
          secretEnv: {},
          env: {
            AWS_ROLE_ARN: writerRole.arn,
            AWS_WEB_IDENTITY_TOKEN_FILE: `${AWS_WEB_IDENTITY_TOKEN_DIR}/token`,
            AWS_REGION: settings.region,
          },
          volumes: [
            {
              name: AUDIT_VOLUMES.awsToken,
              projected: [
                {
                  sources: [
                    {
                      serviceAccountToken: {
                        audience: AWS_WEB_IDENTITY_AUDIENCE,
                        expirationSeconds: AWS_WEB_IDENTITY_TOKEN_SECONDS,
                        path: 'token',
                      },
                    },
                  ],
                },
              ],
            },
          ],
          volumeMounts: [{ name: AUDIT_VOLUMES.awsToken, mountPath: AWS_WEB_IDENTITY_TOKEN_DIR, readOnly: true }],
        },
      };
    },
  };
}
