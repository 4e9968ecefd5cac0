/**
 * The rule interface (DESIGN §1, §3). A rule is a pure function of (state, event, config, now)
 * returning typed outcomes; it never performs I/O. Adding a rule = one file + one registry line:
 * what the engine, snapshots and status need to know of a rule (its breach scope, whether it
 * limits loss, the per-account state it keeps) is declared in its definition, never by rule id.
 */
import type { z } from 'zod';
import type { Fixed } from '../domain/money.ts';
import type { InstrumentTable } from '../domain/instrument.ts';
import type { OrderEvent } from '../domain/events.ts';
import type { Position } from '../domain/position.ts';
import type { AccountState, Lock } from './account.ts';

export type RuleId = `RULE-${string}`;

/** Enforcement actions, in the order DESIGN §3 applies them when several fire on one event. */
export const ACTION_ORDER = [
  'close_all',
  'trim',
  'close_position',
  'cancel_orders',
  'cooldown',
  'lockout',
  'reject',
  'move_stop',
  'alert',
] as const;
export type Action = (typeof ACTION_ORDER)[number];

export type Outcome =
  | { readonly kind: 'close_all' }
  | { readonly kind: 'trim'; readonly symbol: string; readonly toQty: Fixed }
  | { readonly kind: 'close_position'; readonly symbol: string }
  | { readonly kind: 'cancel_orders'; readonly symbol?: string }
  /** Cancel one working order: the answer to a venue-side change riskgate rejects (DESIGN §4). */
  | { readonly kind: 'cancel_order'; readonly orderId: string }
  | { readonly kind: 'cooldown'; readonly until: number }
  | { readonly kind: 'lockout'; readonly until: Lock['until'] }
  | { readonly kind: 'reject'; readonly orderId: string; readonly code: string }
  | { readonly kind: 'move_stop'; readonly orderId: string; readonly stopPrice: Fixed }
  | { readonly kind: 'alert'; readonly message: string };

/** A rule firing on an event: what it found and what it wants done. */
export interface Breach {
  readonly rule: RuleId;
  /** The primary action, as reported (`close_all`, `trim`, …). */
  readonly action: Action;
  readonly symbol?: string;
  readonly reason: string;
  readonly outcomes: readonly Outcome[];
  /** False for non-breach decisions (RULE-012 stop moves): not listed as breaches. */
  readonly isBreach?: boolean;
}

export type Trigger = 'fill' | 'quote' | 'reset' | 'account' | 'timer' | 'order_status';

export interface FillFacts {
  readonly symbol: string;
  readonly orderId: string;
  /** Gross realized P&L of this fill. */
  readonly realized: Fixed;
  readonly fee: Fixed;
  readonly closedQty: Fixed;
  readonly openedQty: Fixed;
  readonly prevAbsQty: Fixed;
  readonly newAbsQty: Fixed;
}

/** Read-only view given to rules. */
export interface RuleContext {
  readonly now: number;
  readonly trigger: Trigger;
  readonly account: AccountState;
  readonly instruments: InstrumentTable;
  /** The symbol the event concerns (fill/quote), if any. */
  readonly symbol?: string;
  readonly fill?: FillFacts;
  /** Timer payload when trigger = 'timer'. */
  readonly timer?: { readonly rule: string; readonly key: string; readonly data?: unknown };
  readonly nextReset: number;
  /** The trading-day zone (top-level `timezone`); session rules default to it. */
  readonly timezone?: string;
  markOf(symbol: string): Fixed | undefined;
  unrealizedOf(position: Position): Fixed;
  /** Parsed config of another rule enabled for this account, else undefined (RULE-015 reads 003/014). */
  configOf?(rule: RuleId): unknown;
  /**
   * The account's equity (watermark.ts `equityOf`) at this instant, when the engine has already
   * computed it for this evaluation (fill/quote with RULE-014 on); else undefined and a rule
   * computes it. Rules run on a state that does not change while they run, so it is the same value.
   */
  readonly equity?: Fixed;
}

export interface PreTradeContext extends RuleContext {
  readonly order: OrderEvent;
  /** Position qty of the order's symbol after this order and every working order on its side fill. */
  readonly projectedQty: Fixed;
  /** Current signed qty of the order's symbol. */
  readonly currentQty: Fixed;
}

export interface Rejection {
  readonly rule: RuleId;
  readonly code: string;
  readonly reason: string;
}

export interface Distance {
  readonly rule: RuleId;
  readonly symbol?: string;
  /** Current value and limit as decimal strings (money or contracts). */
  readonly value: string;
  readonly limit: string;
  /** Remaining room before the breach (≥ 0), as a decimal string. */
  readonly remaining: string;
  /** Share of the limit used, 0–100+ (display only). */
  readonly usedPct: number;
}

/**
 * Where a quote cannot change a rule's answer (`RiskRule.quietBand`): inclusive bounds on the
 * quoted symbol's mark and on its position's unrealized P&L at that mark, and account-wide bounds
 * on equity (watermark.ts `equityOf`; the engine shares the room they leave between the open
 * positions). An absent bound is no bound; `{}` is quiet at any mark.
 */
export interface QuietBand {
  readonly markLo?: Fixed;
  readonly markHi?: Fixed;
  readonly unrealizedLo?: Fixed;
  readonly unrealizedHi?: Fixed;
  readonly equityLo?: Fixed;
  readonly equityHi?: Fixed;
}

/**
 * A quiet band with all six bounds present (the absent ones undefined). Rules return their bands
 * through it: the engine reads every band of every position after most fills, and one object
 * shape keeps those reads fast (bands of six different shapes made them ~4× slower).
 */
export function quiet(b: QuietBand): QuietBand {
  return {
    markLo: b.markLo,
    markHi: b.markHi,
    unrealizedLo: b.unrealizedLo,
    unrealizedHi: b.unrealizedHi,
    equityLo: b.equityLo,
    equityHi: b.equityHi,
  };
}

/** A band that depends on the rule's config alone, made once per config (no allocation per call). */
export function quietPerConfig<C extends object>(make: (cfg: C) => QuietBand): (cfg: C) => QuietBand {
  const made = new WeakMap<C, QuietBand>();
  return (cfg) => {
    let b = made.get(cfg);
    if (b === undefined) made.set(cfg, (b = make(cfg)));
    return b;
  };
}

/** A timer a rule asks the engine to arm (deadline in event time). */
export interface TimerRequest {
  readonly rule: RuleId;
  readonly key: string;
  readonly deadline: number;
  readonly data?: unknown;
}

/**
 * Which breaches of a rule the day's report lists (DESIGN §5): `position` rules judge one position
 * each, and their first breach of the day is listed per symbol; `account` rules judge the whole
 * account, and their first breach is listed once a day without a symbol (even a RULE-001 trim
 * that names the symbol it trims).
 */
export type BreachScope = 'position' | 'account';

/**
 * State a rule keeps per account besides the engine's own books (positions, orders, day figures,
 * locks): a log of filled orders, equity high-water marks. The engine creates it with each
 * account, folds events into it through the hooks below, and snapshots it under `key`. Every
 * account holds the state of every registered rule, enabled or not, so a rule enabled by a config
 * change finds its history. Rules that read the same history declare the same object.
 */
export interface RuleState<S> {
  /** The field of the account's snapshot JSON holding the state: stable, stored snapshots name it. */
  readonly key: string;
  /** The state of a new account (its balance is set). */
  create(account: AccountState): S;
  /** Plain JSON (money as decimal strings). */
  toJSON(state: S): unknown;
  fromJSON(json: unknown): S;
  /** A fill at `t` was booked into the position (every fill, whatever rules are enabled). */
  onFill?(state: S, account: AccountState, fill: FillFacts, t: number): void;
  /** An opening order passed the pre-trade check (it goes out on the new-order lane). */
  onOpeningOrder?(state: S, account: AccountState, t: number): void;
  /** The balance changed by `delta` (deposit, withdrawal, first balance report). */
  onBalance?(state: S, delta: Fixed): void;
  /**
   * The account's equity (watermark.ts `equityOf`) at each fill and quote the account is
   * evaluated on (`at` = 'evaluation'), and at the trading-day reset. Called only while a rule
   * declaring the state is enabled: equity costs a pass over the positions.
   */
  onEquity?(state: S, equity: Fixed, at: 'evaluation' | 'reset'): void;
  /**
   * With `onEquity`: the equity above which an evaluation changes the state (undefined: none).
   * A quote that cannot lift equity above it may be skipped (engine/quiet-bands.ts).
   */
  equityCeiling?(state: S): Fixed | undefined;
}

export interface RiskRule<C = unknown> {
  readonly id: RuleId;
  readonly name: string;
  readonly description: string;
  readonly schema: z.ZodType<C>;
  readonly scope: BreachScope;
  /**
   * Its distances are room before a loss limit: the account status shows the least of them as
   * the account's loss room.
   */
  readonly limitsLoss?: boolean;
  /** The per-account state it reads, if any (see `RuleState`). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly state?: RuleState<any>;
  /**
   * The triggers `evaluate` and `timers` can act on; the engine skips the rule for any other (a
   * quote then runs the 4 market rules, not all 16). Omitted = every trigger. A pre-trade-only
   * rule declares none.
   */
  readonly triggers?: readonly Trigger[];
  /** Post-trade / market evaluation. */
  evaluate?(ctx: RuleContext, config: C): Breach[];
  /** Pre-trade check of an opening order (risk-reducing orders never reach it). */
  preTrade?(ctx: PreTradeContext, config: C): Rejection | undefined;
  /** Timers to arm after an event was applied (e.g. grace periods). */
  timers?(ctx: RuleContext, config: C): TimerRequest[];
  distanceToLimit?(ctx: RuleContext, config: C): Distance[];
  /**
   * For a rule acting on quotes: the band of an open position within which a quote of its symbol
   * makes `evaluate` find nothing, the account otherwise staying as it is now. The engine asks at
   * a quote of a position it has no band for (after a quote evaluation that found nothing, or at
   * the first quote after the position or the account changed) and skips the evaluation of quotes
   * inside every rule's band (see engine/quiet-bands.ts). The mark and unrealized bounds may
   * depend on the position, its own symbol's working orders and the config only: the engine keeps
   * a position's band across other symbols' orders and fills. Anything account-wide is an equity
   * bound (RULE-014), the same for every position of the account, which the engine checks again
   * after every fill. Undefined: no such band, every quote is evaluated; so does a rule whose
   * answer depends on more (the time). Without this hook, every quote of an account running the
   * rule is evaluated.
   */
  quietBand?(ctx: RuleContext, config: C, position: Position): QuietBand | undefined;
}

/**
 * The empty answer of `evaluate` / `timers` (nothing to report): one shared frozen array instead
 * of a new one per call (rules run per quote × account). Callers only read results.
 */
export const NONE: never[] = Object.freeze([]) as never[];

export function defineRule<C>(rule: RiskRule<C>): RiskRule<C> {
  // One shape for every rule (same keys in the same order, absent hooks undefined): the engine's
  // calls through `rule.evaluate`, `rule.timers` … then meet one object layout instead of sixteen.
  return {
    id: rule.id,
    name: rule.name,
    description: rule.description,
    schema: rule.schema,
    scope: rule.scope,
    limitsLoss: rule.limitsLoss,
    state: rule.state,
    triggers: rule.triggers,
    evaluate: rule.evaluate,
    preTrade: rule.preTrade,
    timers: rule.timers,
    distanceToLimit: rule.distanceToLimit,
    quietBand: rule.quietBand,
  };
}

/** Sort key of a breach: DESIGN §3 action order, ties by rule id. */
export function compareBreaches(a: Breach, b: Breach): number {
  const d = ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action);
  return d !== 0 ? d : a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0;
}
