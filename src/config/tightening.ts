/**
 * Tightening vs loosening of rule configs (DESIGN §1 invariant 4): a stricter limit applies at
 * once, a looser one from the next trading day. `tightestOf(old, new)` is the config to enforce
 * right now: per key, the stricter of the two values; anything whose direction is unknown keeps
 * its old value until the reset (conservative: a change we cannot judge never loosens early).
 */
import { parseFixed } from '../domain/money.ts';
import { parseDuration } from '../risk/config-types.ts';
import type { RawConfig } from './schema.ts';
import { withStageCap } from './stage.ts';

type Raw = Record<string, unknown>;

/** Keys where a smaller number is stricter. */
const LOWER_IS_STRICTER = new Set([
  'limit',
  'target',
  'perMinute',
  'perHour',
  'perSession',
  'maxOrdersPerSecond',
  'maxOrderQty',
  'maxNotional',
  'grace',
  'loss',
]);
/** Keys where a larger number (a longer cooldown) is stricter. */
const HIGHER_IS_STRICTER = new Set(['cooldown']);

function numeric(v: unknown): bigint | undefined {
  try {
    if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v) * 10n ** 18n;
    if (typeof v === 'string')
      return /^\d+(ms|s|m|h|d)$/.test(v) ? BigInt(parseDuration(v)) * 10n ** 18n : parseFixed(v);
  } catch {
    return undefined;
  }
  return undefined;
}

function stricterScalar(key: string, oldV: unknown, newV: unknown): unknown {
  const a = numeric(oldV);
  const b = numeric(newV);
  if (a === undefined || b === undefined) return JSON.stringify(oldV) === JSON.stringify(newV) ? newV : oldV;
  if (LOWER_IS_STRICTER.has(key)) return b < a ? newV : oldV;
  if (HIGHER_IS_STRICTER.has(key)) return b > a ? newV : oldV;
  return a === b ? newV : oldV;
}

/** The stricter of two raw rule configs, key by key. */
function stricterRule(id: string, oldR: Raw, newR: Raw): Raw {
  const out: Raw = { ...oldR };
  for (const key of new Set([...Object.keys(oldR), ...Object.keys(newR)])) {
    const o = oldR[key];
    const n = newR[key];
    if (n === undefined) continue; // a removed key falls back to its default: not judged, keep old
    if (o === undefined) {
      out[key] = LOWER_IS_STRICTER.has(key) || key === 'limits' || key === 'blocked' ? n : o;
      continue;
    }
    if (key === 'blocked' && Array.isArray(o) && Array.isArray(n)) out[key] = [...new Set([...o, ...n])];
    else if ((key === 'limits' || key === 'cooldowns') && typeof o === 'object' && typeof n === 'object') {
      const merged: Raw = { ...(o as Raw) };
      for (const [k, v] of Object.entries(n as Raw))
        merged[k] =
          k in merged
            ? stricterScalar(key === 'limits' ? 'limit' : 'cooldown', merged[k], v)
            : key === 'limits'
              ? v
              : merged[k];
      out[key] = merged;
    } else out[key] = stricterScalar(key, o, n); // tiers, sessions, actions…: unknown direction keeps old
  }
  void id;
  return out;
}

function stricterRules(oldRules: Raw | undefined, newRules: Raw | undefined): Raw {
  const out: Raw = {};
  const o = oldRules ?? {};
  const n = newRules ?? {};
  for (const id of new Set([...Object.keys(o), ...Object.keys(n)])) {
    if (o[id] === undefined)
      out[id] = n[id]; // a newly enabled rule is stricter
    else if (n[id] === undefined)
      out[id] = o[id]; // disabling loosens: waits for the reset
    else out[id] = stricterRule(id, o[id] as Raw, n[id] as Raw);
  }
  return out;
}

/** The config to enforce now when `next` replaces `current` (trading-day settings stay). */
export function tightestOf(current: RawConfig, next: RawConfig): RawConfig {
  const accounts: RawConfig['accounts'] = {};
  for (const id of new Set([...Object.keys(current.accounts), ...Object.keys(next.accounts)])) {
    // Compare what each account really runs: the global rules with its overrides.
    const rules = stricterRules(effective(current, id), effective(next, id));
    accounts[id] = { risk: { rules: rules as RawConfig['risk']['rules'] } };
  }
  return {
    ...current,
    risk: {
      ...current.risk,
      rules: stricterRules(current.risk.rules as Raw, next.risk.rules as Raw) as RawConfig['risk']['rules'],
    },
    accounts,
  };
}

function effective(config: RawConfig, account: string): Raw {
  const out: Raw = { ...(config.risk.rules as Raw) };
  for (const [id, keys] of Object.entries((config.accounts[account]?.risk?.rules ?? {}) as Raw)) {
    if (keys !== undefined) out[id] = { ...((out[id] as Raw | undefined) ?? {}), ...(keys as Raw) };
  }
  return withStageCap(config, account, out) as Raw;
}

export function sameRules(a: RawConfig, b: RawConfig): boolean {
  return JSON.stringify([a.risk.rules, a.accounts]) === JSON.stringify([b.risk.rules, b.accounts]);
}
