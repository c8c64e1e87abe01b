/** The token lifetime checks shared by the Vault role rules (MCP-SEC-2, MCP-SEC-4). */
import { VAULT_TOKEN_MAX_TTL_SECONDS, VAULT_TOKEN_TTL_SECONDS } from '../../../core/defaults';
import { numberValue } from '../../../model/json';
import { type Verdict } from '../../verdict';
import type { JsonObject } from '../../../model/stack';

/** `token_ttl` in 1..900, `token_max_ttl` in 1..3600, and no `token_period`. */
export function judgeTokenLifetime(verdict: Verdict, body: JsonObject): void {
  verdict.number(
    'token_ttl',
    body.token_ttl,
    (n) => n >= 1 && n <= VAULT_TOKEN_TTL_SECONDS,
    `between 1 and ${VAULT_TOKEN_TTL_SECONDS}`,
    `token_ttl is not set (Vault's default is 32 days; at most ${VAULT_TOKEN_TTL_SECONDS})`,
  );
  verdict.number(
    'token_max_ttl',
    body.token_max_ttl,
    (n) => n >= 1 && n <= VAULT_TOKEN_MAX_TTL_SECONDS,
    `between 1 and ${VAULT_TOKEN_MAX_TTL_SECONDS}`,
    `token_max_ttl is not set (Vault's default is 32 days; at most ${VAULT_TOKEN_MAX_TTL_SECONDS})`,
  );
  const period = numberValue(body.token_period);
  if (period === 'expression') verdict.unknown('token_period');
  else
    verdict.expect(
      period === undefined || period === 0,
      `token_period is ${period} (a periodic token never expires while it is renewed)`,
    );
}
