/**
 * Graduation stages (issue 18): `accounts.<id>.stage: shadow | paper | limited | live`. A `limited`
 * account trades live under a contract cap (`limitedLive.maxContracts`, default 1), expressed as a
 * RULE-001 (max_contracts, gross) override: the cap is enforced by the rule that already rejects
 * opening orders pre-trade and trims a position over it, reported with its code like any rule.
 * The other stages add no rule; they tell `riskgate golive check` where the account stands.
 */
import { parseFixed } from '../domain/money.ts';
import type { RawConfig } from './schema.ts';

export const STAGES = ['shadow', 'paper', 'limited', 'live'] as const;
export type Stage = (typeof STAGES)[number];

export const DEFAULT_LIMITED_MAX_CONTRACTS = 1;

type Raw = Record<string, unknown>;

/** The account's stage (undefined when the config names none). */
export function stageOf(config: RawConfig, account: string): Stage | undefined {
  return config.accounts[account]?.stage;
}

/** The contract cap of a limited-live account, else undefined. */
export function limitedCapOf(config: RawConfig, account: string | undefined): number | undefined {
  if (account === undefined || stageOf(config, account) !== 'limited') return undefined;
  return config.limitedLive?.maxContracts ?? DEFAULT_LIMITED_MAX_CONTRACTS;
}

/**
 * The account's merged raw rules with the limited-live cap applied: RULE-001 counted gross with
 * the lower of its own limit and the cap (a stricter configured limit stays).
 */
export function withStageCap(config: RawConfig, account: string | undefined, rules: Raw): Raw {
  const cap = limitedCapOf(config, account);
  if (cap === undefined) return rules;
  const current = rules['RULE-001'] as Raw | undefined;
  const limit = current?.limit;
  const keep = (typeof limit === 'number' || typeof limit === 'string') && lowerOrEqual(limit, cap);
  return {
    ...rules,
    'RULE-001': { ...(current ?? {}), limit: keep ? limit : cap, count: 'gross' },
  };
}

function lowerOrEqual(limit: number | string, cap: number): boolean {
  try {
    return parseFixed(String(limit)) <= parseFixed(String(cap));
  } catch {
    return false; // an unreadable limit is reported by the rule's own schema; the cap still holds
  }
}
