/**
 * Resolves rule configs: each enabled rule's raw keys (global, then per-account overrides key by
 * key) parsed by the rule's own schema.
 */
import type { z } from 'zod';
import { RULES_BY_ID } from '../risk/registry.ts';
import type { RiskRule } from '../risk/rule.ts';
import type { RawConfig } from './schema.ts';
import { withStageCap } from './stage.ts';

export interface ActiveRule {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly rule: RiskRule<any>;
  readonly config: unknown;
}

export interface ConfigProblem {
  path: string;
  message: string;
}

type RawRules = Record<string, Record<string, unknown> | undefined>;

function mergeRules(global: RawRules, override: RawRules | undefined): RawRules {
  const out: RawRules = { ...global };
  for (const [id, keys] of Object.entries(override ?? {})) {
    if (keys === undefined) continue;
    out[id] = { ...(global[id] ?? {}), ...keys };
  }
  return out;
}

export function issuePath(prefix: string, issue: z.core.$ZodIssue): string {
  return [prefix, ...issue.path.map(String)].filter((s) => s !== '').join('.');
}

/** Parsed rules for one account (or the global set when `account` is undefined). */
export function resolveRules(config: RawConfig, account?: string, problems?: ConfigProblem[]): ActiveRule[] {
  const globalRules = config.risk.rules as RawRules;
  const merged = withStageCap(
    config,
    account,
    mergeRules(globalRules, account ? (config.accounts[account]?.risk?.rules as RawRules | undefined) : undefined),
  ) as RawRules;
  const out: ActiveRule[] = [];
  for (const [id, raw] of Object.entries(merged)) {
    if (raw === undefined) continue;
    const rule = RULES_BY_ID.get(id);
    if (!rule) continue;
    const parsed = rule.schema.safeParse(raw);
    if (!parsed.success) {
      const prefix =
        account && config.accounts[account]?.risk?.rules?.[id]
          ? `accounts.${account}.risk.rules.${id}`
          : `risk.rules.${id}`;
      for (const issue of parsed.error.issues)
        problems?.push({ path: issuePath(prefix, issue), message: issue.message });
      continue;
    }
    out.push({ rule, config: parsed.data });
  }
  out.sort((a, b) => (a.rule.id < b.rule.id ? -1 : 1));
  return out;
}

/** Per-account rule lookup for a config: the global set, or the account's merged set (cached). */
export function rulesResolver(config: RawConfig): (account: string) => readonly ActiveRule[] {
  const cache = new Map<string, readonly ActiveRule[]>();
  const global = resolveRules(config);
  return (account) => {
    if (!config.accounts[account]) return global;
    let r = cache.get(account);
    if (!r) {
      r = resolveRules(config, account);
      cache.set(account, r);
    }
    return r;
  };
}
