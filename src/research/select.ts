/**
 * `riskgate research select` (docs/research.md "Strategy selection and allocation"): every
 * candidate strategy is backtested over the bars (the same engine and rules as `riskgate
 * backtest`); on a schedule the selector scores the candidates on the lookback before that bar,
 * picks the active set and allocates capital to it (selector.ts); the allocation holds until the
 * next selection. The portfolio's return on a bar is Σ weight × the candidate's return on that
 * bar (the rest is cash, earning nothing). Each allocation goes through the stress scenarios.
 */
import { AppError } from '../errors.ts';
import { runBacktest, type BacktestOptions } from '../backtest/engine.ts';
import { statsJson, type StatsJson } from '../backtest/stats-json.ts';
import { maxDrawdownPct, observedPeriodsPerYear, returnMoments, sharpeRatio, sortinoRatio } from '../backtest/stats.ts';
import type { Bar, StrategyDefinition } from '../backtest/types.ts';
import { isoOf } from '../domain/events.ts';
import { DEFAULT_SCENARIOS, stressTest } from '../analytics/stress-test.ts';
import { detectRegimes, type RegimeReading } from './regime.ts';
import { allocate, scoreCandidates, type Allocation, type CandidateScore, type SelectorSettings } from './selector.ts';

export interface Candidate {
  /** As given on the command line (`sma-cross:period=20`). */
  readonly id: string;
  readonly def: StrategyDefinition;
  readonly params: Readonly<Record<string, string>>;
}

export interface SelectionInput {
  readonly bars: readonly Bar[];
  /** The backtest options every candidate runs with (symbol, instrument, capital, rules, …). */
  readonly base: BacktestOptions;
  readonly candidates: readonly Candidate[];
  readonly settings: SelectorSettings;
  readonly periodsPerYear?: number | undefined;
}

export interface Selection {
  /** Time of the bar whose close the selection is made at (ISO). */
  readonly at: string;
  readonly regime: { trend: string; volatility: string };
  readonly scores: CandidateScore[];
  readonly active: string[];
  readonly allocation: Allocation;
  /** Per active strategy: slope of its lookback returns on the market's (the bars' closes). */
  readonly betas: Record<string, number>;
  /** The allocation under the stress scenarios (bull, bear, sideways, crisis). */
  readonly stress: StressRow[];
}

export interface PortfolioStats {
  readonly totalReturnPct: number;
  readonly cagrPct: number | null;
  readonly maxDrawdownPct: number;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  /** Mean exposure (Σ weights) over the bars, in %. */
  readonly exposurePct: number;
}

export interface StressRow {
  readonly scenario: string;
  readonly priceShock: number;
  /** Portfolio P&L in % of capital: Σ weight × beta × shock. */
  readonly pnlPct: number;
  readonly byStrategy: Record<string, number>;
}

export interface SelectionReport {
  readonly candidates: { id: string; strategy: string; params: Record<string, string>; stats: StatsJson }[];
  readonly settings: SelectorSettings;
  readonly selections: Selection[];
  readonly portfolio: { bars: number; stats: PortfolioStats };
}

/** Per-bar returns of an equity curve: e_t / e_{t−1} − 1, e_{−1} = capital. */
export function curveReturns(capital: number, values: ArrayLike<number>): number[] {
  const out = new Array<number>(values.length);
  let prev = capital;
  for (let i = 0; i < values.length; i++) {
    const e = values[i] as number;
    out[i] = prev === 0 ? 0 : e / prev - 1;
    prev = e;
  }
  return out;
}

const regimeKey = (r: RegimeReading | undefined): string =>
  `${r?.trend ?? 'uncertain'}/${r?.volatility ?? 'uncertain'}`;

/** The selection at bar k: scores on bars [k − lookback, k), regime of bar k − 1. */
export function selectAt(
  k: number,
  input: SelectionInput,
  returns: readonly number[][],
  regimes: readonly RegimeReading[],
  ppy: number,
): Selection {
  const s = input.settings;
  const from = k - s.lookback;
  const now = regimeKey(regimes[k - 1]);
  const inRegime = Array.from({ length: s.lookback }, (_, t) => regimeKey(regimes[from + t]) === now);
  const windows = returns.map((r) => r.slice(from, k));
  const ids = input.candidates.map((c) => c.id);
  const scores = scoreCandidates(ids, windows, inRegime, s, ppy);
  const active = scores.filter((x) => x.active).map((x) => x.id);
  const allocation = allocate(
    active,
    active.map((id) => windows[ids.indexOf(id)] as number[]),
    s.allocation,
  );
  const reading = regimes[k - 1];
  const market = marketReturns(input.bars, from, k);
  const betas: Record<string, number> = {};
  for (const id of active) betas[id] = beta(windows[ids.indexOf(id)] as number[], market);
  return {
    at: isoOf((input.bars[k - 1] as Bar).ts),
    regime: { trend: reading?.trend ?? 'uncertain', volatility: reading?.volatility ?? 'uncertain' },
    scores,
    active,
    allocation,
    betas,
    stress: stressRows(input.base.symbol, allocation.weights, betas),
  };
}

/** Close-to-close returns of the bars [from, to) (the first one against the bar before, if any). */
function marketReturns(bars: readonly Bar[], from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = from; t < to; t++) {
    const prev = bars[t - 1];
    out.push(prev === undefined ? 0 : (bars[t] as Bar).num.close / prev.num.close - 1);
  }
  return out;
}

/** Each strategy moves with the market by its beta: P&L % = weight × beta × shock × 100. */
function stressRows(
  symbol: string,
  weights: Readonly<Record<string, number>>,
  betas: Record<string, number>,
): StressRow[] {
  const positions = Object.entries(weights).map(([id, w]) => ({
    kind: 'linear' as const,
    id,
    underlying: symbol,
    quantity: w * (betas[id] ?? 0),
    multiplier: 100,
    price: 1,
  }));
  return stressTest(positions, DEFAULT_SCENARIOS).map((s, i) => ({
    scenario: s.scenario,
    priceShock: (DEFAULT_SCENARIOS[i] as (typeof DEFAULT_SCENARIOS)[number]).priceShock,
    pnlPct: s.totalPnl,
    byStrategy: Object.fromEntries(s.positions.map((p) => [p.id, p.pnl])),
  }));
}

/** Slope of `y` on `x` (0 when x is constant). */
function beta(y: readonly number[], x: readonly number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i] as number;
    my += y[i] as number;
  }
  mx /= n;
  my /= n;
  let xy = 0;
  let xx = 0;
  for (let i = 0; i < n; i++) {
    xy += ((x[i] as number) - mx) * ((y[i] as number) - my);
    xx += ((x[i] as number) - mx) ** 2;
  }
  return xx > 0 ? xy / xx : 0;
}

function portfolioStats(capital: number, equity: Float64Array, times: Float64Array, exposure: number, ppy: number) {
  const m = returnMoments(capital, equity);
  const final = equity.length > 0 ? (equity[equity.length - 1] as number) : capital;
  const first = times[0];
  const last = times[times.length - 1];
  const years = first !== undefined && last !== undefined ? (last - first) / (365.25 * 86_400_000) : 0;
  return {
    totalReturnPct: (final / capital - 1) * 100,
    cagrPct: years > 0 ? (final <= 0 ? -100 : ((final / capital) ** (1 / years) - 1) * 100) : null,
    maxDrawdownPct: maxDrawdownPct(capital, equity),
    sharpe: sharpeRatio(m, ppy),
    sortino: sortinoRatio(m, ppy),
    exposurePct: equity.length > 0 ? (exposure / equity.length) * 100 : 0,
  };
}

/**
 * Runs the selection over the bars. `onProgress(done, total)` counts the candidates' backtests
 * and the selections (for a progress bar or an API job).
 */
export function runSelection(
  input: SelectionInput,
  onProgress?: (done: number, total: number) => void,
): SelectionReport {
  const { bars, settings } = input;
  const n = bars.length;
  if (input.candidates.length === 0) throw new AppError('ERR_RESEARCH_INPUT', '--strategies: no candidate given');
  if (n <= settings.lookback)
    throw new AppError('ERR_RESEARCH_INPUT', `lookback ${settings.lookback} needs more bars than the data has (${n})`);
  const firstAt = settings.lookback;
  const selectionsDue = Math.ceil((n - firstAt) / settings.rebalance);
  const total = input.candidates.length + selectionsDue;
  let done = 0;
  const capital = Number(input.base.capital ?? 10_000n * 10n ** 18n) / 1e18;
  const returns: number[][] = [];
  const candidates = input.candidates.map((c) => {
    const r = runBacktest(bars, c.def.create(c.params), { ...input.base, params: c.params, strategyName: c.def.name });
    returns.push(curveReturns(capital, r.equity.values));
    onProgress?.(++done, total);
    return { id: c.id, strategy: c.def.name, params: { ...c.params }, stats: statsJson(r.stats) };
  });
  const times = Float64Array.from(bars, (b) => b.ts);
  const ppy = input.periodsPerYear ?? observedPeriodsPerYear(times) ?? 252;
  const regimes = detectRegimes(bars.map((b) => b.num));
  const selections: Selection[] = [];
  const equity = new Float64Array(n);
  let e = capital;
  let exposureSum = 0;
  let weights: number[] = input.candidates.map(() => 0);
  for (let t = 0; t < n; t++) {
    if (t >= firstAt && (t - firstAt) % settings.rebalance === 0) {
      const sel = selectAt(t, input, returns, regimes, ppy);
      selections.push(sel);
      weights = input.candidates.map((c) => sel.allocation.weights[c.id] ?? 0);
      onProgress?.(++done, total);
    }
    let r = 0;
    let x = 0;
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] as number;
      if (w !== 0) {
        r += w * ((returns[i] as number[])[t] as number);
        x += w;
      }
    }
    e *= 1 + r;
    equity[t] = e;
    exposureSum += x;
  }
  return {
    candidates,
    settings,
    selections,
    portfolio: { bars: n, stats: portfolioStats(capital, equity, times, exposureSum, ppy) },
  };
}

/** `--report json`: one line. */
export function selectionJson(r: SelectionReport): string {
  return JSON.stringify(r);
}
