/** The parts of oidc-provider 9 (ESM, untyped) the local authorization server uses. */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** The Koa context oidc-provider passes to middleware and configuration functions. */
  export interface ProviderContext {
    status: number;
    body: unknown;
    oidc?: {
      route?: string;
      params?: Record<string, unknown>;
      client?: { clientId: string };
    };
  }

  export interface ProviderClient {
    readonly clientId: string;
    grantTypeAllowed(grant: string): boolean;
  }

  export interface ProviderToken {
    readonly kind: string;
    readonly clientId?: string;
    readonly accountId?: string;
    readonly scope?: string;
    readonly resourceServer?: { accessTokenTTL?: number };
  }

  export interface InteractionDetails {
    readonly grantId?: string;
    readonly prompt: { name: string; details: Record<string, unknown> };
    readonly params: Record<string, unknown>;
    readonly session?: { accountId?: string };
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    addResourceScope(indicator: string, scope: string): void;
    save(): Promise<string>;
  }

  export class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    use(middleware: (ctx: ProviderContext, next: () => Promise<void>) => Promise<void>): void;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    Grant: {
      new (properties: { accountId?: string; clientId?: unknown }): Grant;
      find(id: string): Promise<Grant>;
    };
  }

  type ErrorClass = new (description?: string, detail?: string) => Error;
  export const errors: {
    InvalidScope: ErrorClass;
    InvalidTarget: ErrorClass;
    AccessDenied: ErrorClass;
  };
}
