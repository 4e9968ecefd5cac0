/**
 * Option-chain analytics: max pain, put/call ratios, open interest by strike.
 *
 * Max pain (shared/data/options/README.md): the strike P, chosen among the listed strikes,
 * minimising the total intrinsic value paid to option holders at expiry,
 *   payout(P) = Σ_K call_oi(K)·max(0, P − K) + put_oi(K)·max(0, K − P)   (× contract multiplier).
 * Ties (not present in the fixtures) resolve to the lowest strike, so the result is deterministic.
 */
import { AppError } from '../errors.ts';

export interface ChainStrike {
  strike: number;
  call_oi: number;
  put_oi: number;
  call_volume?: number;
  put_volume?: number;
}

export interface OptionChain {
  chain: ChainStrike[];
  /** Contract multiplier applied to payouts (default 1). */
  multiplier?: number;
}

export interface SettlementPayout {
  settlement_price: number;
  call_payout: number;
  put_payout: number;
  total_payout: number;
}

export interface MaxPainResult {
  maxPainStrike: number;
  minTotalPayout: number;
  payoutBySettlementPrice: SettlementPayout[];
}

function nonNegative(value: unknown, field: string, index: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new AppError(
      'ERR_ANALYTICS_INPUT',
      `chain[${index}].${field} must be a number >= 0, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Validates an untrusted chain (e.g. parsed JSON); messages name the entry and field. */
export function parseOptionChain(raw: unknown): OptionChain {
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { chain?: unknown }).chain)) {
    throw new AppError('ERR_ANALYTICS_INPUT', 'option chain must be an object with a "chain" array');
  }
  const obj = raw as { chain: unknown[]; multiplier?: unknown };
  if (obj.chain.length === 0) throw new AppError('ERR_ANALYTICS_INPUT', 'chain is empty');
  const seen = new Set<number>();
  const chain = obj.chain.map((entry, i): ChainStrike => {
    if (typeof entry !== 'object' || entry === null)
      throw new AppError('ERR_ANALYTICS_INPUT', `chain[${i}] must be an object`);
    const e = entry as Record<string, unknown>;
    const strike = e.strike;
    if (typeof strike !== 'number' || !Number.isFinite(strike) || strike <= 0) {
      throw new AppError(
        'ERR_ANALYTICS_INPUT',
        `chain[${i}].strike must be a number > 0, got ${JSON.stringify(strike)}`,
      );
    }
    if (seen.has(strike)) throw new AppError('ERR_ANALYTICS_INPUT', `chain[${i}].strike ${strike} is listed twice`);
    seen.add(strike);
    const out: ChainStrike = {
      strike,
      call_oi: nonNegative(e.call_oi, 'call_oi', i),
      put_oi: nonNegative(e.put_oi, 'put_oi', i),
    };
    if (e.call_volume !== undefined) out.call_volume = nonNegative(e.call_volume, 'call_volume', i);
    if (e.put_volume !== undefined) out.put_volume = nonNegative(e.put_volume, 'put_volume', i);
    return out;
  });
  let multiplier = 1;
  if (obj.multiplier !== undefined) {
    if (typeof obj.multiplier !== 'number' || !(obj.multiplier > 0))
      throw new AppError('ERR_ANALYTICS_INPUT', 'multiplier must be a number > 0');
    multiplier = obj.multiplier;
  }
  return { chain, multiplier };
}

/** Total intrinsic value paid to holders if the underlying settles at `price`. */
export function payoutAtSettlement(chain: OptionChain, price: number): SettlementPayout {
  const m = chain.multiplier ?? 1;
  let calls = 0;
  let puts = 0;
  for (const s of chain.chain) {
    calls += s.call_oi * Math.max(0, price - s.strike);
    puts += s.put_oi * Math.max(0, s.strike - price);
  }
  return { settlement_price: price, call_payout: calls * m, put_payout: puts * m, total_payout: (calls + puts) * m };
}

/** Max-pain strike among the listed strikes, with the payout at every strike (ascending). */
export function maxPain(chain: OptionChain): MaxPainResult {
  if (chain.chain.length === 0) throw new AppError('ERR_ANALYTICS_INPUT', 'chain is empty');
  const strikes = chain.chain.map((s) => s.strike).sort((a, b) => a - b);
  const payoutBySettlementPrice = strikes.map((p) => payoutAtSettlement(chain, p));
  let best = payoutBySettlementPrice[0]!;
  for (const p of payoutBySettlementPrice) if (p.total_payout < best.total_payout) best = p;
  return { maxPainStrike: best.settlement_price, minTotalPayout: best.total_payout, payoutBySettlementPrice };
}

export interface PutCallRatios {
  /** Σ put OI / Σ call OI (null when there is no call OI). */
  openInterest: number | null;
  /** Σ put volume / Σ call volume (null when volumes are absent or call volume is 0). */
  volume: number | null;
}

export function putCallRatios(chain: OptionChain): PutCallRatios {
  let callOi = 0;
  let putOi = 0;
  let callVol = 0;
  let putVol = 0;
  let hasVolume = false;
  for (const s of chain.chain) {
    callOi += s.call_oi;
    putOi += s.put_oi;
    if (s.call_volume !== undefined || s.put_volume !== undefined) hasVolume = true;
    callVol += s.call_volume ?? 0;
    putVol += s.put_volume ?? 0;
  }
  return {
    openInterest: callOi > 0 ? putOi / callOi : null,
    volume: hasVolume && callVol > 0 ? putVol / callVol : null,
  };
}

export interface StrikeOpenInterest {
  strike: number;
  callOi: number;
  putOi: number;
  totalOi: number;
}

/** Open interest per strike, ascending by strike. */
export function openInterestByStrike(chain: OptionChain): StrikeOpenInterest[] {
  return [...chain.chain]
    .sort((a, b) => a.strike - b.strike)
    .map((s) => ({ strike: s.strike, callOi: s.call_oi, putOi: s.put_oi, totalOi: s.call_oi + s.put_oi }));
}
