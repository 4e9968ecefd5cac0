/** The messages between a sweep and its workers: one backtest asked, its result answered. */
import type { BacktestResult } from '../backtest/types.ts';
import type { ParamSet } from './param-space.ts';
import { statsJson, type StatsJson } from '../backtest/stats-json.ts';

export interface SweepTask {
  readonly id: number;
  readonly params: ParamSet;
  /** Bars `from`..`to`, end exclusive. */
  readonly from: number;
  readonly to: number;
  /** Also send the equity curve, trade P&Ls and exposure (out-of-sample runs of a walk-forward). */
  readonly detail: boolean;
}

export interface RunDetail {
  readonly ts: Float64Array;
  readonly values: Float64Array;
  readonly tradePnls: readonly string[];
  readonly exposedBars: number;
}

export interface SweepAnswer {
  readonly id: number;
  readonly stats?: StatsJson;
  readonly curve?: RunDetail;
  readonly error?: { code: string; message: string };
}

/** The stats of a run, and its curve when `detail`. */
export function runDetail(r: BacktestResult, detail: boolean): { stats: StatsJson; curve?: RunDetail } {
  const stats = statsJson(r.stats);
  if (!detail) return { stats };
  const n = r.equity.values.length;
  return {
    stats,
    curve: {
      ts: Float64Array.from(r.equity.ts),
      values: Float64Array.from(r.equity.values),
      tradePnls: r.trades.map((t) => t.pnl),
      // exposurePct = exposed / bars × 100 exactly as computed, so rounding recovers the count.
      exposedBars: Math.round((r.stats.exposurePct * n) / 100),
    },
  };
}
