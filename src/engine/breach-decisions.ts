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
import type { BreachEntry } from './day-book.ts';

export function decideBreaches(
  rec: AccountRecord,
  breaches: Breach[],
  now: number,
  out: Decision[],
  lock: (lock: Lock) => void,
): void {
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
    const untilText = until === undefined ? undefined : untilTextOf(until);
    const symbol = b.symbol ? b.symbol : undefined;
    if (b.isBreach !== false)
      rec.book.addBreach(rec.state.day.label, breachEntry(b, ts, symbol, untilText), scopeOf(rec, b.rule));
    out.push(decision(b, now, ts, rec.state.id, symbol, untilText));
  }
}

// A locked account's decisions repeat its lock's end, between times of their own (isoOf keeps
// only the last time it formatted): the last end's text is kept here.
let lastUntil: Lock['until'] | undefined;
let lastUntilText = '';

function untilTextOf(until: Lock['until']): string {
  if (until !== lastUntil) {
    lastUntilText = untilLabel(until);
    lastUntil = until;
  }
  return lastUntilText;
}

// Each shape written out (no spread of optional fields: a locked account makes one per event).
function breachEntry(b: Breach, ts: string, symbol: string | undefined, until: string | undefined): BreachEntry {
  if (symbol !== undefined)
    return until !== undefined
      ? { rule: b.rule, ts, action: b.action, symbol, until }
      : { rule: b.rule, ts, action: b.action, symbol };
  return until !== undefined ? { rule: b.rule, ts, action: b.action, until } : { rule: b.rule, ts, action: b.action };
}

function decision(
  b: Breach,
  t: number,
  ts: string,
  account: string,
  symbol: string | undefined,
  until: string | undefined,
): Decision {
  const kind = b.isBreach === false ? 'stop_move' : 'breach';
  if (symbol !== undefined) {
    return until !== undefined
      ? { t, ts, account, kind, rule: b.rule, action: b.action, symbol, until, reason: b.reason, outcomes: b.outcomes }
      : { t, ts, account, kind, rule: b.rule, action: b.action, symbol, reason: b.reason, outcomes: b.outcomes };
  }
  return until !== undefined
    ? { t, ts, account, kind, rule: b.rule, action: b.action, until, reason: b.reason, outcomes: b.outcomes }
    : { t, ts, account, kind, rule: b.rule, action: b.action, reason: b.reason, outcomes: b.outcomes };
}
