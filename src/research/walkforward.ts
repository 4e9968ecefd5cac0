/**
 * `riskgate research walkforward` (DESIGN §5): rolling windows of `inSample` bars followed by
 * `outOfSample` bars, stepping by `outOfSample`, so the out-of-sample slices follow each other
 * without overlap. In each window every parameter set is backtested in-sample, the best by the
 * metric is chosen and backtested on the out-of-sample bars that follow (a fresh account: the
 * strategy starts without history there). Only whole windows are run; bars after the last whole
 * out-of-sample slice are left out.
 *
 * The combined out-of-sample result is one account whose P&L is the sum of the slices' P&L: its
 * equity at a bar is the capital plus the P&L of the earlier slices plus the slice's own P&L so
 * far; its trades are all the slices' trades. Its stats are computed as a backtest's are.
 */
import { AppError } from '../errors.ts';
import { fromInt, parseFixed, type Fixed } from '../domain/money.ts';
import { isoOf } from '../domain/events.ts';
import { computeStats } from '../backtest/stats.ts';
import type { Bar, EquityCurve } from '../backtest/types.ts';
import type { ParamSet } from './param-space.ts';
import type { SweepPool } from './pool.ts';
import { bestIndex, type Metric } from './metric.ts';
import type { StatsJson } from '../backtest/stats-json.ts';
import { statsJson } from '../backtest/stats-json.ts';
import type { RunDetail } from './task.ts';

export interface WindowBounds {
  /** Bar indices, end exclusive. */
  readonly isFrom: number;
  readonly isTo: number;
  readonly oosFrom: number;
  readonly oosTo: number;
}

export interface WalkForwardWindow {
  readonly inSample: { from: string; to: string; best: { params: ParamSet; stats: StatsJson } };
  readonly outOfSample: { from: string; to: string; params: ParamSet; stats: StatsJson };
}

export interface WalkForwardReport {
  readonly windows: WalkForwardWindow[];
  readonly outOfSample: { stats: StatsJson };
  /** The combined out-of-sample equity (for the HTML page; not in the JSON). */
  readonly equity: EquityCurve;
  readonly capital: Fixed;
}

export function rollingWindows(bars: number, inSample: number, outOfSample: number): WindowBounds[] {
  for (const [flag, n] of [
    ['--in-sample', inSample],
    ['--out-of-sample', outOfSample],
  ] as const)
    if (!Number.isInteger(n) || n < 2)
      throw new AppError('ERR_RESEARCH_INPUT', `${flag}: expected a whole number of bars ≥ 2, got ${n}`);
  if (inSample + outOfSample > bars)
    throw new AppError(
      'ERR_RESEARCH_INPUT',
      `--in-sample ${inSample} + --out-of-sample ${outOfSample} bars exceed the data's ${bars} bars`,
    );
  const out: WindowBounds[] = [];
  for (let isFrom = 0; isFrom + inSample + outOfSample <= bars; isFrom += outOfSample)
    out.push({ isFrom, isTo: isFrom + inSample, oosFrom: isFrom + inSample, oosTo: isFrom + inSample + outOfSample });
  return out;
}

export interface WalkForwardInput {
  readonly bars: readonly Bar[];
  readonly capital: Fixed;
  readonly periodsPerYear?: number | undefined;
  readonly sets: readonly ParamSet[];
  readonly windows: readonly WindowBounds[];
  readonly metric: Metric;
}

const day = (bars: readonly Bar[], i: number): string => isoOf((bars[i] as Bar).ts);

export async function runWalkForward(
  pool: SweepPool,
  input: WalkForwardInput,
  onDone?: () => void,
): Promise<WalkForwardReport> {
  const { bars, sets, windows, metric } = input;
  const inSample = await pool.run(
    windows.flatMap((w) => sets.map((params) => ({ params, from: w.isFrom, to: w.isTo, detail: false }))),
    onDone,
  );
  const chosen = windows.map((_, k) => {
    const runs = sets.map((params, i) => ({ params, stats: inSample[k * sets.length + i]!.stats as StatsJson }));
    return runs[bestIndex(runs, metric)]!;
  });
  const outOfSample = await pool.run(
    windows.map((w, k) => ({ params: chosen[k]!.params, from: w.oosFrom, to: w.oosTo, detail: true })),
    onDone,
  );
  const report = windows.map((w, k) => ({
    inSample: { from: day(bars, w.isFrom), to: day(bars, w.isTo - 1), best: chosen[k]! },
    outOfSample: {
      from: day(bars, w.oosFrom),
      to: day(bars, w.oosTo - 1),
      params: chosen[k]!.params,
      stats: outOfSample[k]!.stats as StatsJson,
    },
  }));
  const combined = combine(
    outOfSample.map((a) => ({ detail: a.curve as RunDetail, net: parseFixed((a.stats as StatsJson).netPnl) })),
    input.capital,
    input.periodsPerYear,
  );
  return { windows: report, outOfSample: { stats: combined.stats }, equity: combined.equity, capital: input.capital };
}

/** The slices as one account: P&L added up, curves joined (see the module comment). */
export function combine(
  slices: readonly { detail: RunDetail; net: Fixed }[],
  capital: Fixed,
  periodsPerYear?: number,
): { stats: StatsJson; equity: EquityCurve } {
  const length = slices.reduce((n, s) => n + s.detail.values.length, 0);
  const ts = new Float64Array(length);
  const values = new Float64Array(length);
  let at = 0;
  let earlier: Fixed = fromInt(0);
  let exposed = 0;
  const tradePnls: number[] = [];
  for (const { detail, net } of slices) {
    const offset = Number(earlier) / 1e18;
    for (let i = 0; i < detail.values.length; i++, at++) {
      ts[at] = detail.ts[i] as number;
      values[at] = (detail.values[i] as number) + offset; // each slice starts at the same capital
    }
    for (const p of detail.tradePnls) tradePnls.push(Number(p));
    exposed += detail.exposedBars;
    earlier += net;
  }
  const stats = computeStats({
    capital,
    finalEquity: capital + earlier,
    equity: values,
    times: ts,
    tradePnls,
    exposedBars: exposed,
    periodsPerYear,
  });
  return { stats: statsJson(stats), equity: { ts, values } };
}

/** The JSON report: {"windows":[{"inSample","outOfSample"}],"outOfSample":{"stats"}}. */
export function walkForwardJson(r: WalkForwardReport): string {
  return JSON.stringify({ windows: r.windows, outOfSample: r.outOfSample });
}
