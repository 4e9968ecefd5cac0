/** What the engine decided on an event: a breach, a pre-trade rejection, or a lock change. */
import type { Action, Outcome, RuleId } from '../risk/rule.ts';
import { formatFixed } from '../domain/money.ts';
import { isoOf } from '../domain/events.ts';

export interface Decision {
  readonly t: number;
  readonly ts: string;
  readonly account: string;
  readonly kind: 'breach' | 'rejection' | 'unlock' | 'stop_move' | 'admin' | 'summary';
  readonly rule: RuleId | 'ADMIN' | 'EOD';
  readonly action: Action | 'unlock' | 'summary';
  readonly symbol?: string;
  readonly orderId?: string;
  /** ISO time, or "admin" / "canTrade" for open-ended locks. */
  readonly until?: string;
  readonly reason: string;
  readonly outcomes: readonly Outcome[];
}

export function untilLabel(until: number | 'admin' | 'canTrade'): string {
  return typeof until === 'number' ? isoOf(until) : until;
}

/**
 * JSON form of a decision (decimal strings, no bigint) for the journal and `--out`. decision-json.ts
 * writes the same texts field by field: a field added here must be added there too.
 */
export function decisionJson(d: Decision): Record<string, unknown> {
  return {
    ts: d.ts,
    account: d.account,
    kind: d.kind,
    rule: d.rule,
    action: d.action,
    ...(d.symbol !== undefined ? { symbol: d.symbol } : {}),
    ...(d.orderId !== undefined ? { orderId: d.orderId } : {}),
    ...(d.until !== undefined ? { until: d.until } : {}),
    reason: d.reason,
    outcomes: d.outcomes.map(outcomeJson),
  };
}

function outcomeJson(o: Outcome): Record<string, unknown> {
  switch (o.kind) {
    case 'trim':
      return { kind: o.kind, symbol: o.symbol, toQty: formatFixed(o.toQty) };
    case 'move_stop':
      return { kind: o.kind, orderId: o.orderId, stopPrice: formatFixed(o.stopPrice) };
    case 'cooldown':
      return { kind: o.kind, until: isoOf(o.until) };
    case 'lockout':
      return { kind: o.kind, until: untilLabel(o.until) };
    default:
      return { ...o };
  }
}
