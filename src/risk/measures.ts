/** Shared account measures used by several rules (pure). */
import { abs, ZERO, formatFixed, type Fixed } from '../domain/money.ts';
import type { AccountState } from './account.ts';
import type { Distance, RuleId } from './rule.ts';

/** Day realized P&L: net of fees unless `includeFees` is false. */
export function dayRealized(account: AccountState, includeFees = true): Fixed {
  return includeFees ? account.day.grossRealized - account.day.fees : account.day.grossRealized;
}

/** Whether the account holds any position (a flat symbol keeps its entry with qty 0). */
export function hasOpenPosition(account: AccountState): boolean {
  for (const p of account.positions.values()) if (p.qty !== ZERO) return true;
  return false;
}

/** Open contracts: gross Σ|qty| or net |Σ qty|. */
export function openContracts(
  account: AccountState,
  count: 'gross' | 'net',
  override?: { symbol: string; qty: Fixed },
): Fixed {
  let gross = ZERO;
  let net = ZERO;
  for (const [symbol, p] of account.positions) {
    const q = override && override.symbol === symbol ? override.qty : p.qty;
    gross += abs(q);
    net += q;
  }
  if (override && !account.positions.has(override.symbol)) {
    gross += abs(override.qty);
    net += override.qty;
  }
  return count === 'gross' ? gross : abs(net);
}

/** Distance report for a "value must stay ≤ limit" measure. */
export function distance(rule: RuleId, value: Fixed, limit: Fixed, symbol?: string): Distance {
  const remaining = limit - value;
  const usedPct = limit === ZERO ? (value > ZERO ? 100 : 0) : Number((value * 10000n) / limit) / 100;
  return {
    rule,
    ...(symbol ? { symbol } : {}),
    value: formatFixed(value),
    limit: formatFixed(limit),
    remaining: formatFixed(remaining > ZERO ? remaining : ZERO),
    usedPct,
  };
}

/** Glob (`*`, `?`) → case-insensitive anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}
