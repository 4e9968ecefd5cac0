/**
 * Quiet bands: the quote fast path. Most quotes change nothing: no rule fires, no high-water mark
 * rises. At a quote of an account it has no bands for, the engine asks each quote rule for the
 * band of every open position within which a quote of its symbol finds nothing
 * (`RiskRule.quietBand`), keeps their intersection, and skips the evaluation of every quote whose
 * mark (and the position's unrealized P&L there) falls inside, that one included. Anything else
 * that touches the account (a fill, an order, a timer, a lock, a reset, a config change …)
 * forgets its bands, so a band only ever stands for "the same account, another mark". Decisions,
 * state and journal are exactly those of evaluating every quote (property-tested against an
 * engine without bands).
 *
 * The engine's own part: with RULE-014 on, the intraday high-water mark rises whenever equity
 * exceeds it, so each position may gain at most its share of the room below the mark.
 */
import { divRound, ZERO, type Fixed } from '../domain/money.ts';
import { wholeValuation, type Position } from '../domain/position.ts';
import type { ActiveRule } from '../config/rules.ts';
import type { AccountState } from '../risk/account.ts';
import { quiet, type QuietBand, type RuleContext } from '../risk/rule.ts';
import { equityWith } from '../risk/watermark.ts';
import type { Valuations } from './valuations.ts';

/** A position's band, all bounds inclusive; undefined = unbounded. */
interface Band {
  markLo: Fixed | undefined;
  markHi: Fixed | undefined;
  unrealizedLo: Fixed | undefined;
  unrealizedHi: Fixed | undefined;
  /** `asMarks` done (at the first quote that asks: many bands are dropped before any does). */
  asMarks: boolean;
}

/**
 * The band of a position of an account that cannot have bands as it is (a rule without the hook,
 * a position valued at a fill price): every quote is evaluated, and bands are not tried again
 * until the account changes (trying costs about what evaluating does).
 */
const NONE_FOR_NOW: Band = { markLo: undefined, markHi: undefined, unrealizedLo: undefined, unrealizedHi: undefined, asMarks: true };

function tighten(band: Band, b: QuietBand): void {
  if (b.markLo !== undefined && (band.markLo === undefined || b.markLo > band.markLo)) band.markLo = b.markLo;
  if (b.markHi !== undefined && (band.markHi === undefined || b.markHi < band.markHi)) band.markHi = b.markHi;
  if (b.unrealizedLo !== undefined && (band.unrealizedLo === undefined || b.unrealizedLo > band.unrealizedLo)) band.unrealizedLo = b.unrealizedLo;
  if (b.unrealizedHi !== undefined && (band.unrealizedHi === undefined || b.unrealizedHi < band.unrealizedHi)) band.unrealizedHi = b.unrealizedHi;
}

/**
 * The marks at which a position's unrealized P&L is within [lo, hi] (either may be absent), when
 * the position is valued without division (position.ts `wholeValuation`: unrealized = ±(mark ×
 * units − cost basis) × point value, monotone in the mark, the common futures case); undefined
 * otherwise. A quote is then checked with two comparisons instead of a valuation.
 */
export function marksWithin(pos: Position, lo: Fixed | undefined, hi: Fixed | undefined): QuietBand | undefined {
  const v = wholeValuation(pos);
  if (v === undefined) return undefined;
  const perPoint = v.units * v.pointValue; // > 0
  const cost = v.costBasis * v.pointValue;
  // Long: u = mark × perPoint − cost, so u ≥ lo ⟺ mark ≥ ⌈(lo + cost) / perPoint⌉ and u ≤ hi ⟺ mark ≤ ⌊(hi + cost) / perPoint⌋.
  if (v.long) return quiet({ markLo: lo === undefined ? undefined : divRound(lo + cost, perPoint, 'ceil'), markHi: hi === undefined ? undefined : divRound(hi + cost, perPoint, 'floor') });
  // Short: u = cost − mark × perPoint, so u ≥ lo ⟺ mark ≤ ⌊(cost − lo) / perPoint⌋ and u ≤ hi ⟺ mark ≥ ⌈(cost − hi) / perPoint⌉.
  return quiet({ markLo: hi === undefined ? undefined : divRound(cost - hi, perPoint, 'ceil'), markHi: lo === undefined ? undefined : divRound(cost - lo, perPoint, 'floor') });
}

/** Replaces a band's unrealized bounds by marks where `marksWithin` can. */
function asMarks(band: Band, pos: Position): void {
  band.asMarks = true;
  if (band.unrealizedLo === undefined && band.unrealizedHi === undefined) return;
  const marks = marksWithin(pos, band.unrealizedLo, band.unrealizedHi);
  if (marks === undefined) return;
  tighten(band, marks);
  band.unrealizedLo = undefined;
  band.unrealizedHi = undefined;
}

export class QuietBands {
  private readonly bands = new Map<Position, Band>();

  /** True when a quote of `pos`'s symbol at `mark` is inside the position's band (skip it). */
  holds(pos: Position, mark: Fixed, valuations: Valuations): boolean {
    const b = this.bands.get(pos);
    if (b === undefined || b === NONE_FOR_NOW) return false;
    if (!b.asMarks) asMarks(b, pos);
    if ((b.markLo !== undefined && mark < b.markLo) || (b.markHi !== undefined && mark > b.markHi)) return false;
    if (b.unrealizedLo === undefined && b.unrealizedHi === undefined) return true;
    const u = valuations.unrealizedAt(pos, mark);
    return (b.unrealizedLo === undefined || u >= b.unrealizedLo) && (b.unrealizedHi === undefined || u <= b.unrealizedHi);
  }

  /** Whether the position has a band, or is known to have none until its account changes. */
  has(pos: Position): boolean {
    return this.bands.has(pos);
  }

  private noneForNow(state: AccountState): false {
    for (const p of state.positions.values()) if (p.qty !== ZERO) this.bands.set(p, NONE_FOR_NOW);
    return false;
  }

  /** No bands for the account for now (a rule fires, equity is out of bounds): tried again at its next quote. */
  private drop(state: AccountState): false {
    this.forget(state);
    return false;
  }

  /** Drops an account's bands: something other than a mark changed. */
  forget(state: AccountState): void {
    if (this.bands.size === 0) return;
    for (const p of state.positions.values()) this.bands.delete(p);
  }

  clear(): void {
    this.bands.clear();
  }

  /**
   * Records the bands of every open position of an account as it is now (`ctx`, a quote context;
   * `rules`, the account's quote rules); false when it gets none. `watermarkRises` when RULE-014
   * is on: the intraday high-water mark then bounds equity from above. The room left by the equity bounds
   * is shared equally between the open positions (rounded down), so however their marks move
   * inside their bands, together they stay inside the bounds. No bands when a rule has none, or
   * when a position is valued at a last fill price rather than a quote (another account's fill
   * would move it unseen).
   */
  record(ctx: RuleContext, rules: readonly ActiveRule[], hasQuoteMark: (symbol: string) => boolean, watermarkRises: boolean): boolean {
    const st = ctx.account;
    // An account's positions are all marked or none is: the quoted one tells.
    const quoted = ctx.symbol === undefined ? undefined : st.positions.get(ctx.symbol);
    if (quoted !== undefined && this.bands.get(quoted) === NONE_FOR_NOW) return false;
    this.forget(st);
    for (const { rule } of rules) if (rule.quietBand === undefined || rule.timers !== undefined) return this.noneForNow(st);
    let equityLo: Fixed | undefined;
    let equityHi = watermarkRises ? st.watermark.intraday : undefined;
    const open = this.open;
    const bands = this.openBands;
    open.length = 0;
    bands.length = 0;
    for (const p of st.positions.values()) {
      if (p.qty === ZERO) continue;
      if (!hasQuoteMark(p.symbol)) return this.noneForNow(st);
      const band: Band = { markLo: undefined, markHi: undefined, unrealizedLo: undefined, unrealizedHi: undefined, asMarks: false };
      for (const { rule, config } of rules) {
        const b = rule.quietBand!(ctx, config, p);
        if (b === undefined) return this.drop(st);
        tighten(band, b);
        if (b.equityLo !== undefined && (equityLo === undefined || b.equityLo > equityLo)) equityLo = b.equityLo;
        if (b.equityHi !== undefined && (equityHi === undefined || b.equityHi < equityHi)) equityHi = b.equityHi;
      }
      this.bands.set(p, band);
      open.push(p);
      bands.push(band);
    }
    if (open.length === 0) return false; // nothing to quote for
    if (equityLo === undefined && equityHi === undefined) return true;
    // Equity from the same valuations the shares start from (one pass, not `equityOf` and another).
    const u = this.openUnrealized;
    u.length = 0;
    let sum = ZERO;
    for (const p of open) {
      const v = ctx.unrealizedOf(p);
      u.push(v);
      sum += v;
    }
    const e = equityWith(st, sum);
    if ((equityLo !== undefined && e < equityLo) || (equityHi !== undefined && e > equityHi)) return this.drop(st);
    const n = BigInt(open.length);
    const down = equityLo === undefined ? undefined : n === 1n ? e - equityLo : (e - equityLo) / n;
    const up = equityHi === undefined ? undefined : n === 1n ? equityHi - e : (equityHi - e) / n;
    for (let i = 0; i < open.length; i++) {
      const band = bands[i]!;
      if (down !== undefined && (band.unrealizedLo === undefined || u[i]! - down > band.unrealizedLo)) band.unrealizedLo = u[i]! - down;
      if (up !== undefined && (band.unrealizedHi === undefined || u[i]! + up < band.unrealizedHi)) band.unrealizedHi = u[i]! + up;
    }
    return true;
  }

  // Scratch lists of `record` (reused: it runs after most fills of every account).
  private readonly open: Position[] = [];
  private readonly openBands: Band[] = [];
  private readonly openUnrealized: Fixed[] = [];
}
