/**
 * Turns an evaluation's breaches into engine decisions (DESIGN §3): in rule order, each one locks
 * or cools the account down when it says so, moves the working stop it moves (RULE-012), is
 * listed as the day's first breach of its rule (stop moves are not breaches), and becomes a
 * decision carrying its outcomes for the enforcer.
 */
import { isoOf } from '../domain/events.ts';
import type { Lock } from '../risk/account.ts';
import { compareBreaches, type Breach, type BreachScope } from '../risk/rule.ts';
import { untilLabel, type Decision } from './decision.ts';
import type { AccountRecord } from './engine-core.ts';

/** The breach scope of one of the account's rules (its breaches come from them). */
function scopeOf(rec: AccountRecord, rule: string): BreachScope {
  for (const r of rec.rules) if (r.rule.id === rule) return r.rule.scope;
  return 'account';
}

export function decideBreaches(rec: AccountRecord, breaches: Breach[], now: number, out: Decision[], lock: (lock: Lock) => void): void {
  breaches.sort(compareBreaches);
  const ts = isoOf(now);
  for (const b of breaches) {
    let until: Lock['until'] | undefined;
    for (const o of b.outcomes) {
      if (o.kind === 'lockout' || o.kind === 'cooldown') {
        until = o.until;
        lock({ rule: b.rule, until: o.until, kind: o.kind, since: now, reason: b.reason });
      }
      if (o.kind === 'move_stop') {
        // RULE-012: the moved stop is the working stop from now on (so a stop is never moved twice to the same price).
        const w = rec.state.orders.get(o.orderId);
        if (w) w.stopPrice = o.stopPrice;
      }
    }
    const untilText = until === undefined ? undefined : untilLabel(until);
    if (b.isBreach !== false) {
      rec.book.addBreach(rec.state.day.label, { rule: b.rule, ts, action: b.action, ...(b.symbol ? { symbol: b.symbol } : {}), ...(untilText ? { until: untilText } : {}) }, scopeOf(rec, b.rule));
    }
    out.push({ t: now, ts, account: rec.state.id, kind: b.isBreach === false ? 'stop_move' : 'breach', rule: b.rule, action: b.action, ...(b.symbol ? { symbol: b.symbol } : {}), ...(untilText ? { until: untilText } : {}), reason: b.reason, outcomes: b.outcomes });
  }
}
