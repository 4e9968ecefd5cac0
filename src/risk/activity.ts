/**
 * Order and fill activity that rate rules read (pure data + pure updates; the engine calls the
 * `note…` functions, rules only read). RULE-006 counts orders that received a fill, each once, at
 * the time of its first fill; RULE-016 counts new-lane (opening, accepted) orders per second.
 */
import { stateOf, type AccountState } from './account.ts';
import type { RuleState } from './rule.ts';

/** An order's first fill: when, and on which trading day (RULE-006 "session" = since the reset). */
export interface FilledOrder {
  readonly orderId: string;
  readonly t: number;
  readonly day: string;
}

export interface ActivityLog {
  /**
   * First fills, oldest first, from `filledHead` on (`liveFilledOrders`); pruned to the last hour
   * plus the current trading day. Pruned entries stay before the head until they are half the
   * array: slicing on every prune copied the whole day's log on each fill of the hour after a reset.
   */
  filledOrders: FilledOrder[];
  /** Their times, in a plain number array: RULE-006's binary searches read it on every fill. */
  filledTimes: number[];
  filledHead: number;
  /** Ids in `filledOrders` (an order with several partial fills counts once). */
  readonly counted: Set<string>;
  /** Placement times of accepted opening orders in the last second (RULE-016 new-order lane). */
  placedOpening: number[];
}

const HOUR_MS = 3_600_000;
const SECOND_MS = 1_000;

export function newActivityLog(): ActivityLog {
  return { filledOrders: [], filledTimes: [], filledHead: 0, counted: new Set(), placedOpening: [] };
}

/**
 * The activity log as rule state (declared by RULE-006 and RULE-016): the engine notes every
 * first fill and every accepted opening order, whichever rules are enabled.
 */
export const activityState: RuleState<ActivityLog> = {
  key: 'activity',
  create: newActivityLog,
  toJSON: (log) => ({
    filledOrders: liveFilledOrders(log),
    counted: [...log.counted],
    placedOpening: log.placedOpening,
  }),
  fromJSON(json) {
    const j = json as { filledOrders: FilledOrder[]; counted: string[]; placedOpening: number[] };
    const filledOrders = j.filledOrders.map((x) => ({ ...x }));
    return {
      filledOrders,
      filledTimes: filledOrders.map((x) => x.t),
      filledHead: 0,
      counted: new Set(j.counted),
      placedOpening: [...j.placedOpening],
    };
  },
  onFill: (log, account, fill, t) => noteFill(log, account.day.label, fill.orderId, t),
  onOpeningOrder: (log, _account, t) => noteOpening(log, t),
};

/** An account's activity log. */
export function activityOf(state: AccountState): ActivityLog {
  return stateOf(state, activityState);
}

/** The first fills still in the log (the ones a snapshot keeps). */
export function liveFilledOrders(log: ActivityLog): FilledOrder[] {
  return log.filledHead === 0 ? log.filledOrders : log.filledOrders.slice(log.filledHead);
}

/** The newest first fill in the log, if any. */
export function lastFilledOrder(log: ActivityLog): FilledOrder | undefined {
  return log.filledOrders.length > log.filledHead ? log.filledOrders[log.filledOrders.length - 1] : undefined;
}

/** Records a fill of `orderId` at `t`: the order counts once, from its first fill. */
export function noteFilledOrder(state: AccountState, orderId: string, t: number): void {
  noteFill(activityOf(state), state.day.label, orderId, t);
}

function noteFill(log: ActivityLog, day: string, orderId: string, t: number): void {
  pruneFills(log, t, day);
  const before = log.counted.size;
  log.counted.add(orderId); // one lookup: the set grows only for an order not counted yet
  if (log.counted.size === before) return;
  log.filledOrders.push({ orderId, t, day });
  log.filledTimes.push(t);
}

/** Records an order that went out on the new-order lane (opening and not rejected). */
export function noteOpeningOrder(state: AccountState, t: number): void {
  noteOpening(activityOf(state), t);
}

function noteOpening(log: ActivityLog, t: number): void {
  let drop = 0;
  while (drop < log.placedOpening.length && log.placedOpening[drop]! <= t - SECOND_MS) drop++;
  if (drop) log.placedOpening.splice(0, drop);
  log.placedOpening.push(t);
}

/**
 * First index whose fill time is after `t`. `filledOrders` is in event-time order (appended as
 * fills arrive, pruned from the front), so counting a window is two binary searches instead of
 * a pass over the whole day (thousands of entries per account, on every fill).
 */
function firstAfter(times: readonly number[], head: number, t: number): number {
  let lo = head;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Filled orders whose first fill is in (t − windowMs, t]. */
export function filledOrdersSince(state: AccountState, t: number, windowMs: number): number {
  const { filledTimes: times, filledHead: head } = activityOf(state);
  return firstAfter(times, head, t) - firstAfter(times, head, t - windowMs);
}

/**
 * Filled orders of the current trading day (since the last reset): the entries of the current
 * day are the tail of the list (labels only move forward), found by binary search.
 */
export function filledOrdersToday(state: AccountState): number {
  const { filledOrders: fills, filledHead: head } = activityOf(state);
  const day = state.day.label;
  let lo = head;
  let hi = fills.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (fills[mid]!.day === day) hi = mid;
    else lo = mid + 1;
  }
  return fills.length - lo;
}

/** Accepted opening orders placed in (t − 1s, t]. */
export function openingOrdersLastSecond(state: AccountState, t: number): number {
  let n = 0;
  for (const p of activityOf(state).placedOpening) if (p > t - SECOND_MS && p <= t) n++;
  return n;
}

function pruneFills(log: ActivityLog, t: number, day: string): void {
  const fills = log.filledOrders;
  let head = log.filledHead;
  while (head < fills.length) {
    const f = fills[head]!;
    if (f.t > t - HOUR_MS || f.day === day) break;
    log.counted.delete(f.orderId);
    head++;
  }
  if (head > 64 && head * 2 > fills.length) {
    log.filledOrders = fills.slice(head);
    log.filledTimes = log.filledTimes.slice(head);
    head = 0;
  }
  log.filledHead = head;
}

/** An order is opening when it would increase |qty| of its symbol (DESIGN §3); reduce-only never is. */
export function isOpeningOrder(
  state: AccountState,
  order: { symbol: string; side: 'buy' | 'sell'; qty: bigint; reduceOnly: boolean },
): boolean {
  if (order.reduceOnly) return false;
  const current = state.positions.get(order.symbol)?.qty ?? 0n;
  const next = current + (order.side === 'buy' ? order.qty : -order.qty);
  return (next < 0n ? -next : next) > (current < 0n ? -current : current);
}
