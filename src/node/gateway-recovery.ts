/**
 * Restart recovery of the live loop's own state (DESIGN §1 invariants 2 and 3). The engine state
 * comes back from journal + snapshot (the persistent engine); what the gateway adds is read back
 * from its journal records:
 *   - enforcements (kind `enforcement`): the last record of each key gives its status and attempt
 *     count; unfinished ones are resumed (the Enforcer first checks the broker's state, so an
 *     enforcement that completed just before the crash is confirmed, not sent again), finished
 *     ones stay finished, so the same decision replayed never enforces twice;
 *   - halts from failed enforcements (an alert was raised) survive until an admin `resume`
 *     (a `trading_state` record whose reason starts with "resumed").
 * Reconcile halts are not restored: start-up reconciles anyway.
 */
import { parseFixed } from '../domain/money.ts';
import type { Enforcement, EnforcementKind, EnforcementStatus } from '../engine/enforcer.ts';
import type { Gateway } from './gateway.ts';

const KINDS = new Set<string>(['cancel_orders', 'close_position', 'close_all', 'trim']);
const STATUSES = new Set<string>(['requested', 'sent', 'acknowledged', 'confirmed', 'failed']);

export interface GatewayRecord {
  readonly kind: string;
  readonly account?: string | null;
  readonly body: unknown;
}

export interface RecoveredState {
  readonly enforcements: Enforcement[];
  /** account → halt messages still in force. */
  readonly halts: Map<string, Map<string, string>>;
}

export function recoverGatewayState(records: Iterable<GatewayRecord>): RecoveredState {
  const byKey = new Map<string, Enforcement>();
  const halts = new Map<string, Map<string, string>>();
  for (const r of records) {
    const b = (r.body ?? {}) as Record<string, unknown>;
    if (
      r.kind === 'enforcement' &&
      typeof b.key === 'string' &&
      typeof b.account === 'string' &&
      KINDS.has(String(b.kind)) &&
      STATUSES.has(String(b.status))
    ) {
      const e: Enforcement = {
        key: b.key,
        account: b.account,
        kind: b.kind as EnforcementKind,
        rule: String(b.rule),
        ...(typeof b.symbol === 'string' ? { symbol: b.symbol } : {}),
        ...(typeof b.toQty === 'string' ? { toQty: parseFixed(b.toQty) } : {}),
        status: b.status as EnforcementStatus,
        attempts: typeof b.attempts === 'number' ? b.attempts : 0,
        nextAttemptAt: 0, // due at once after a restart
      };
      byKey.set(e.key, e);
      if (e.status === 'failed') {
        let m = halts.get(e.account);
        if (!m) halts.set(e.account, (m = new Map()));
        m.set(`enforcement:${e.key}`, typeof b.note === 'string' ? b.note : 'enforcement failed');
      }
    } else if (
      r.kind === 'trading_state' &&
      typeof b.account === 'string' &&
      String(b.reason ?? '').startsWith('resumed')
    ) {
      halts.delete(b.account);
    }
  }
  return { enforcements: [...byKey.values()], halts };
}

/** Applies recovered state to a gateway before `start()`; returns how many enforcements resume. */
export function restoreGateway(gw: Gateway, state: RecoveredState): number {
  let pending = 0;
  for (const e of state.enforcements) {
    gw.enforcer.restore(e);
    if (e.status !== 'confirmed' && e.status !== 'failed') pending++;
  }
  for (const [account, m] of state.halts) for (const [cause, message] of m) gw.flags.halt(account, cause, message);
  return pending;
}
