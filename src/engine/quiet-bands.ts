/**
 * Quiet bands: the quote fast path. Most quotes change nothing: no rule fires, no high-water mark
 * rises. At a quote of an account it has no bands for, the engine asks each quote rule for the
 * band of every open position within which a quote of its symbol finds nothing
 * (`RiskRule.quietBand`), keeps their intersection, and skips the evaluation of every quote whose
 * mark (and the position's unrealized P&L there) falls inside, that one included. Decisions,
 * state and journal are exactly those of evaluating every quote (property-tested against an
 * engine without bands).
 *
 * The engine's own part: a rule state that follows equity (RULE-014's intraday high-water mark,
 * `RuleState.equityCeiling`) changes whenever equity exceeds its ceiling, so each position may
 * gain at most its share of the room below it.
 *
 * What drops bands: a lock (however set: a breach, an admin), its expiry, a reset, an account
 * event, a config change … drop all of an account's bands (`forget`); a rule's timer or a breach
 * that does not lock changes nothing they depend on (a stop move is a quote's, whose breaches drop
 * them too). An order or an order status drops only its symbol's band: a rule's
 * mark and unrealized bounds depend on the position and its own symbol's orders alone, equity
 * bounds on the account. A fill drops its symbol's band and leaves the others stale (`changed`):
 * equity moved, so before they are used again the next quote of the account checks that what
 * they reserve of the equity room still fits the account as it is now, and gives the positions
 * without a band what is left (`record` keeping the others). Each band remembers the unrealized
 * P&L its position cannot leave while its quotes are skipped (its share of the room), so that
 * check needs no valuation of the kept positions.
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
  /**
   * The unrealized P&L the position keeps to while its quotes are skipped, as far as the equity
   * bounds go: its value when the band was made minus (plus) its share of the room. Undefined
   * without such a bound.
   */
  reservedLo: Fixed | undefined;
  reservedHi: Fixed | undefined;
  /** The account's equity moved since (a fill): not used until `record` has checked it again. */
  stale: boolean;
}

/**
 * The band of a position of an account that cannot have bands as it is (a rule without the hook,
 * a position valued at a fill price): every quote is evaluated, and bands are not tried again
 * until the account changes (trying costs about what evaluating does).
 */
const NONE_FOR_NOW: Band = {
  markLo: undefined,
  markHi: undefined,
  unrealizedLo: undefined,
  unrealizedHi: undefined,
  asMarks: true,
  reservedLo: undefined,
  reservedHi: undefined,
  stale: false,
};

function tighten(band: Band, b: QuietBand): void {
  if (b.markLo !== undefined && (band.markLo === undefined || b.markLo > band.markLo)) band.markLo = b.markLo;
  if (b.markHi !== undefined && (band.markHi === undefined || b.markHi < band.markHi)) band.markHi = b.markHi;
  if (b.unrealizedLo !== undefined && (band.unrealizedLo === undefined || b.unrealizedLo > band.unrealizedLo))
    band.unrealizedLo = b.unrealizedLo;
  if (b.unrealizedHi !== undefined && (band.unrealizedHi === undefined || b.unrealizedHi < band.unrealizedHi))
    band.unrealizedHi = b.unrealizedHi;
}

/**
 * The marks at which a position's unrealized P&L is within [lo, hi] (either may be absent), when
 * the position is valued without division (position.ts `wholeValuation`: unrealized = ±(mark ×
 * units − cost basis) × point value, monotone in the mark, the common futures case); undefined
 * otherwise. A quote is then checked with two comparisons instead of a valuation.
 */
export function marksWithin(
  pos: Position,
  lo: Fixed | undefined,
  hi: Fixed | undefined,
  v = wholeValuation(pos),
): QuietBand | undefined {
  if (v === undefined) return undefined;
  const perPoint = v.long ? v.perPoint : -v.perPoint; // units × point value, > 0
  const cost = v.long ? v.cost : -v.cost; // cost basis × point value
  // Long: u = mark × perPoint − cost, so u ≥ lo ⟺ mark ≥ ⌈(lo + cost) / perPoint⌉ and u ≤ hi ⟺ mark ≤ ⌊(hi + cost) / perPoint⌋.
  if (v.long)
    return quiet({
      markLo: lo === undefined ? undefined : divRound(lo + cost, perPoint, 'ceil'),
      markHi: hi === undefined ? undefined : divRound(hi + cost, perPoint, 'floor'),
    });
  // Short: u = cost − mark × perPoint, so u ≥ lo ⟺ mark ≤ ⌊(cost − lo) / perPoint⌋ and u ≤ hi ⟺ mark ≥ ⌈(cost − hi) / perPoint⌉.
  return quiet({
    markLo: hi === undefined ? undefined : divRound(cost - hi, perPoint, 'ceil'),
    markHi: lo === undefined ? undefined : divRound(cost - lo, perPoint, 'floor'),
  });
}

/** Replaces a band's unrealized bounds by marks where `marksWithin` can. */
function asMarks(band: Band, pos: Position, valuations: Valuations): void {
  band.asMarks = true;
  if (band.unrealizedLo === undefined && band.unrealizedHi === undefined) return;
  const marks = marksWithin(pos, band.unrealizedLo, band.unrealizedHi, valuations.wholeOf(pos));
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
    if (b === undefined || b === NONE_FOR_NOW || b.stale) return false;
    if (!b.asMarks) asMarks(b, pos, valuations);
    if ((b.markLo !== undefined && mark < b.markLo) || (b.markHi !== undefined && mark > b.markHi)) return false;
    if (b.unrealizedLo === undefined && b.unrealizedHi === undefined) return true;
    const u = valuations.unrealizedAt(pos, mark);
    return (
      (b.unrealizedLo === undefined || u >= b.unrealizedLo) && (b.unrealizedHi === undefined || u <= b.unrealizedHi)
    );
  }

  /**
   * Whether a quote of `pos` should `record` first: the position has no band, or its band is
   * stale (false when it is known to have none until its account changes).
   */
  wants(pos: Position): boolean {
    const b = this.bands.get(pos);
    return b === undefined || b.stale;
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

  /**
   * Something changed `symbol` of an account only (an order, an order status: `equityMoved`
   * false), or that and the account's equity (a fill): drops that symbol's band and, when equity
   * moved, leaves the others stale. An account known to have no bands for now is tried again.
   */
  changed(state: AccountState, symbol: string, equityMoved: boolean): void {
    if (this.bands.size === 0) return;
    const own = state.positions.get(symbol);
    if (own !== undefined) this.bands.delete(own);
    for (const p of state.positions.values()) {
      const b = this.bands.get(p);
      if (b === undefined) continue;
      if (b === NONE_FOR_NOW) {
        this.forget(state);
        return;
      }
      if (equityMoved) b.stale = true;
    }
  }

  clear(): void {
    this.bands.clear();
  }

  /**
   * Records the bands of the open positions of an account as it is now (`ctx`, a quote context;
   * `rules`, the account's quote rules); false when it gets none. `ceiling`: the equity above
   * which a rule's state changes (RULE-014's intraday high-water mark), bounding equity from
   * above. The room left by the equity bounds is shared equally between the positions that get a
   * band (rounded down), so however their marks move inside their bands, together they stay
   * inside the bounds. With
   * `keep`, the bands the account still has are kept, and the room is what they leave (their
   * reserved unrealized P&L against the equity as it is now); when they no longer fit, all bands
   * are made again. No bands when a rule has none, or when a position is valued at a last fill
   * price rather than a quote (another account's fill would move it unseen).
   */
  record(
    ctx: RuleContext,
    rules: readonly ActiveRule[],
    hasQuoteMark: (symbol: string) => boolean,
    ceiling: Fixed | undefined,
    keep = false,
  ): boolean {
    const st = ctx.account;
    // An account's positions are all marked or none is: the quoted one tells.
    const quoted = ctx.symbol === undefined ? undefined : st.positions.get(ctx.symbol);
    if (quoted !== undefined && this.bands.get(quoted) === NONE_FOR_NOW) return false;
    if (!keep) this.forget(st);
    for (const { rule } of rules)
      if (rule.quietBand === undefined || rule.timers !== undefined) return this.noneForNow(st);
    let equityLo: Fixed | undefined;
    let equityHi = ceiling;
    const open = this.open;
    const bands = this.openBands;
    open.length = 0;
    bands.length = 0;
    const kept = this.kept;
    kept.length = 0;
    for (const p of st.positions.values()) {
      if (p.qty === ZERO) continue;
      const old = keep ? this.bands.get(p) : undefined;
      if (old !== undefined) {
        kept.push(old);
        continue;
      }
      if (!hasQuoteMark(p.symbol)) return this.noneForNow(st);
      const band: Band = {
        markLo: undefined,
        markHi: undefined,
        unrealizedLo: undefined,
        unrealizedHi: undefined,
        asMarks: false,
        reservedLo: undefined,
        reservedHi: undefined,
        stale: false,
      };
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
    if (open.length === 0) {
      // Only stale bands: the equity bounds are the account's, so any position's rules tell them.
      if (kept.length === 0 || quoted === undefined) return false; // nothing to quote for
      for (const { rule, config } of rules) {
        const b = rule.quietBand!(ctx, config, quoted);
        if (b === undefined) return this.drop(st);
        if (b.equityLo !== undefined && (equityLo === undefined || b.equityLo > equityLo)) equityLo = b.equityLo;
        if (b.equityHi !== undefined && (equityHi === undefined || b.equityHi < equityHi)) equityHi = b.equityHi;
      }
    }
    for (const b of kept) {
      if (
        b === NONE_FOR_NOW ||
        (equityLo !== undefined && b.reservedLo === undefined) ||
        (equityHi !== undefined && b.reservedHi === undefined)
      )
        return this.record(ctx, rules, hasQuoteMark, ceiling);
      b.stale = false;
    }
    if (equityLo === undefined && equityHi === undefined) return true;
    // The lowest and highest equity the kept bands allow, with the new positions at their marks
    // (without kept bands: equity now, from the same valuations the shares start from).
    const u = this.openUnrealized;
    u.length = 0;
    let sum = ZERO;
    for (const p of open) {
      const v = ctx.unrealizedOf(p);
      u.push(v);
      sum += v;
    }
    let lowest = equityWith(st, sum);
    let highest = lowest;
    for (const b of kept) {
      if (equityLo !== undefined) lowest += b.reservedLo!;
      if (equityHi !== undefined) highest += b.reservedHi!;
    }
    if ((equityLo !== undefined && lowest < equityLo) || (equityHi !== undefined && highest > equityHi))
      return kept.length > 0 ? this.record(ctx, rules, hasQuoteMark, ceiling) : this.drop(st);
    if (open.length === 0) return true; // the stale bands still fit
    const n = BigInt(open.length);
    const down = equityLo === undefined ? undefined : n === 1n ? lowest - equityLo : (lowest - equityLo) / n;
    const up = equityHi === undefined ? undefined : n === 1n ? equityHi - highest : (equityHi - highest) / n;
    for (let i = 0; i < open.length; i++) {
      const band = bands[i]!;
      if (down !== undefined) {
        const lo = u[i]! - down;
        band.reservedLo = lo;
        if (band.unrealizedLo === undefined || lo > band.unrealizedLo) band.unrealizedLo = lo;
      }
      if (up !== undefined) {
        const hi = u[i]! + up;
        band.reservedHi = hi;
        if (band.unrealizedHi === undefined || hi < band.unrealizedHi) band.unrealizedHi = hi;
      }
    }
    return true;
  }

  // Scratch lists of `record` (reused: it runs after most fills of every account).
  private readonly open: Position[] = [];
  private readonly openBands: Band[] = [];
  private readonly openUnrealized: Fixed[] = [];
  private readonly kept: Band[] = [];
}
