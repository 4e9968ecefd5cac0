/**
 * Account locks (lockouts and cooldowns) as the engine sets, expires and releases them. A lock
 * lasts until a time (a timer expires it), until the broker reports canTrade=true (RULE-010), or
 * until an admin unlocks it; a later end replaces an earlier one, never the reverse.
 */
import { isoOf } from '../domain/events.ts';
import type { AccountState, Lock } from '../risk/account.ts';
import type { RuleId } from '../risk/rule.ts';
import type { Decision } from './decision.ts';
import type { TimerQueue } from './timers.ts';

/** Sets or tightens a lock; a timed one gets its expiry timer. */
export function setLock(state: AccountState, lock: Lock, timers: TimerQueue): void {
  const old = state.locks.get(lock.rule);
  if (old && !isLater(lock.until, old.until)) return;
  state.locks.set(lock.rule, lock);
  if (typeof lock.until === 'number')
    timers.push({ kind: 'lock_expire', account: state.id, rule: lock.rule, deadline: lock.until });
}

/** A lock's expiry timer fired: the lock goes unless it was extended since. */
export function expireLock(state: AccountState, rule: string, deadline: number): void {
  const lock = state.locks.get(rule);
  if (lock && lock.until === deadline) state.locks.delete(lock.rule);
}

/** Drops every timed lock ending at or before `at` (a trading-day reset). */
export function expireLocksUntil(state: AccountState, at: number): void {
  if (state.locks.size === 0) return;
  for (const lock of [...state.locks.values()])
    if (typeof lock.until === 'number' && lock.until <= at) state.locks.delete(lock.rule);
}

/** RULE-010: an account event with canTrade=true releases the locks held until "canTrade". */
export function releaseCanTradeLocks(state: AccountState, now: number, out: Decision[]): void {
  for (const lock of [...state.locks.values()]) {
    if (lock.until !== 'canTrade') continue;
    state.locks.delete(lock.rule);
    out.push({
      t: now,
      ts: isoOf(now),
      account: state.id,
      kind: 'unlock',
      rule: lock.rule as RuleId,
      action: 'unlock',
      reason: 'broker reports canTrade=true',
      outcomes: [],
    });
  }
}

function isLater(a: Lock['until'], b: Lock['until']): boolean {
  if (typeof b !== 'number') return false; // open-ended locks are never shortened
  if (typeof a !== 'number') return true;
  return a > b;
}
