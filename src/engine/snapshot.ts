/**
 * Engine snapshots (DESIGN §1 invariant 3): the complete engine state as plain JSON (money as
 * decimal strings), and its restoration. Restart = latest snapshot + the journal after it; the
 * state hash lets tests prove a restored engine equals one that never stopped.
 */
import { hash } from 'node:crypto';
import { formatFixed, parseFixed } from '../domain/money.ts';
import { instrumentFromSpec } from '../domain/instrument.ts';
import type { Position } from '../domain/position.ts';
import { AppError } from '../errors.ts';
import type { AccountState, Lock, WorkingOrder } from '../risk/account.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import type { DayBook } from './day-book.ts';
import type { FillIds } from './fill-ids.ts';
import type { RiskEngine } from './risk-engine.ts';
import type { Timer } from './timers.ts';
import type { RawConfig } from '../config/schema.ts';

export const SNAPSHOT_VERSION = 1;

type Json = Record<string, unknown>;
const f = formatFixed;
const p = parseFixed;
const opt = (v: bigint | undefined) => (v === undefined ? null : f(v));
const optP = (v: unknown) => (v === null || v === undefined ? undefined : p(v as string));

function positionJson(pos: Position): Json {
  return {
    symbol: pos.symbol,
    qty: f(pos.qty),
    lots: pos.lots.map((l) => [f(l.qty), f(l.price)]),
    costBasis: f(pos.costBasis),
    openedAt: pos.openedAt,
  };
}

function orderJson(o: WorkingOrder): Json {
  return { ...o, qty: f(o.qty), filledQty: f(o.filledQty), price: opt(o.price), stopPrice: opt(o.stopPrice) };
}

/** The account fields the engine keeps itself; every other field is a rule's state (`RuleState.key`). */
export const ACCOUNT_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'canTrade',
  'balance',
  'positions',
  'orders',
  'day',
  'locks',
  'cumulativeNetRealized',
]);

function accountJson(st: AccountState): Json {
  const json: Json = {
    id: st.id,
    canTrade: st.canTrade,
    balance: f(st.balance),
    positions: [...st.positions.values()].map(positionJson),
    orders: [...st.orders.values()].map(orderJson),
    day: { label: st.day.label, grossRealized: f(st.day.grossRealized), fees: f(st.day.fees), fills: st.day.fills },
    locks: [...st.locks.values()],
    cumulativeNetRealized: f(st.cumulativeNetRealized),
  };
  for (const [spec, s] of st.ruleStates) {
    if (spec.key in json) throw new AppError('ERR_ENGINE_INVARIANT', `rule state key "${spec.key}" is taken`);
    json[spec.key] = spec.toJSON(s);
  }
  return json;
}

/**
 * Loads the rules' states of an account snapshot: each field besides the engine's is the state
 * of the rule state with that key. A state the snapshot lacks (its rule is newer) stays fresh.
 */
function restoreRuleStates(st: AccountState, s: Json): void {
  const byKey = new Map([...st.ruleStates.keys()].map((spec) => [spec.key, spec]));
  for (const [key, value] of Object.entries(s)) {
    if (ACCOUNT_FIELDS.has(key)) continue;
    const spec = byKey.get(key);
    if (!spec)
      throw new AppError('ERR_ENGINE_INVARIANT', `snapshot of account ${st.id} holds "${key}", the state of no rule`);
    st.ruleStates.set(spec, spec.fromJSON(value));
  }
}

/** The whole engine state as JSON. Deterministic key order (maps in insertion order). */
export function snapshotEngine(engine: RiskEngine): Json {
  const clock = engine.clock;
  return {
    version: SNAPSHOT_VERSION,
    mode: engine.mode,
    rawConfig: engine.rawConfig ?? null,
    clock: {
      day: clock.day ?? null,
      lastT: Number.isFinite(clock.lastT) ? clock.lastT : null,
      eventsProcessed: engine.eventsProcessed,
    },
    instruments: engine.instruments
      .all()
      .map((i) => ({ symbol: i.symbol, tickSize: f(i.tickSize), tickValue: f(i.tickValue), currency: i.currency })),
    marks: [...engine.marks].map(([s, v]) => [s, f(v)]),
    lastFillPrice: [...engine.lastFillPrice].map(([s, v]) => [s, f(v)]),
    timers: engine.timers
      .pending()
      .map(({ deadline, kind, account, rule, key, data }) => ({ deadline, kind, account, rule, key, data })),
    accounts: [...engine.accounts.values()].map((rec) => ({
      state: accountJson(rec.state),
      book: rec.book.toJSON(),
      fillIds: rec.fillIds.toJSON(),
    })),
  };
}

/** sha256 of the canonical snapshot: equal hashes = equal engine state. */
export function stateHash(engine: RiskEngine): string {
  return hash('sha256', canonicalJson(snapshotEngine(engine)), 'hex');
}

/** Loads a snapshot into a freshly created engine (same config). */
export function restoreEngine(engine: RiskEngine, snap: Json): void {
  if (snap.version !== SNAPSHOT_VERSION)
    throw new AppError('ERR_ENGINE_INVARIANT', `unsupported snapshot version ${String(snap.version)}`);
  if (engine.accounts.size > 0) throw new AppError('ERR_ENGINE_INVARIANT', 'restore needs a fresh engine');
  const clock = snap.clock as {
    day: { label: string; start: number; end: number } | null;
    lastT: number | null;
    eventsProcessed: number;
  };
  engine.restoreClock(clock.day ?? undefined, clock.lastT ?? -Infinity);
  // Rules in force (a config change may have replaced the original ones) before accounts exist.
  if (snap.rawConfig) engine.replaceRules(snap.rawConfig as RawConfig);
  engine.eventsProcessed = clock.eventsProcessed;
  for (const i of snap.instruments as { symbol: string; tickSize: string; tickValue: string; currency: string }[])
    engine.instruments.set(instrumentFromSpec(i));
  for (const [s, v] of snap.marks as [string, string][]) engine.marks.set(s, p(v));
  for (const [s, v] of snap.lastFillPrice as [string, string][]) engine.lastFillPrice.set(s, p(v));
  for (const t of snap.timers as Omit<Timer, 'seq'>[]) engine.timers.push(t);
  for (const a of snap.accounts as {
    state: Json;
    book: ReturnType<DayBook['toJSON']>;
    fillIds?: ReturnType<FillIds['toJSON']>;
  }[]) {
    const rec = engine.account(a.state.id as string);
    const st = rec.state;
    const s = a.state;
    st.canTrade = s.canTrade as boolean;
    st.balance = p(s.balance as string);
    st.cumulativeNetRealized = p(s.cumulativeNetRealized as string);
    const day = s.day as { label: string; grossRealized: string; fees: string; fills: number };
    st.day = { label: day.label, grossRealized: p(day.grossRealized), fees: p(day.fees), fills: day.fills };
    for (const pj of s.positions as {
      symbol: string;
      qty: string;
      lots: [string, string][];
      costBasis: string;
      openedAt: number;
    }[]) {
      const instrument = engine.instruments.find(pj.symbol);
      if (!instrument)
        throw new AppError('ERR_INSTRUMENT_UNKNOWN', `snapshot position in unknown instrument ${pj.symbol}`);
      st.positions.set(pj.symbol, {
        symbol: pj.symbol,
        instrument,
        qty: p(pj.qty),
        lots: pj.lots.map(([q, pr]) => ({ qty: p(q), price: p(pr) })),
        costBasis: p(pj.costBasis),
        openedAt: pj.openedAt,
      });
    }
    for (const oj of s.orders as Json[]) {
      st.orders.set(oj.orderId as string, {
        ...(oj as unknown as WorkingOrder),
        qty: p(oj.qty as string),
        filledQty: p(oj.filledQty as string),
        price: optP(oj.price),
        stopPrice: optP(oj.stopPrice),
      });
    }
    for (const l of s.locks as Lock[]) st.locks.set(l.rule, { ...l });
    restoreRuleStates(st, s);
    rec.book.load(a.book);
    rec.fillIds.load(a.fillIds);
  }
}
