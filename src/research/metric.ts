/**
 * The metric a sweep ranks parameter sets by (`--metric`), read from a backtest's stats. The best
 * set has the highest value (the lowest for `maxDrawdownPct`); a null value (e.g. Sharpe of a run
 * without trades) ranks below every number; ties go to the set first in grid (or draw) order.
 * `netPnl` is compared exactly (decimal strings).
 */
import { AppError } from '../errors.ts';
import { parseFixed } from '../domain/money.ts';
import type { StatsJson } from '../backtest/stats-json.ts';

export const METRICS = [
  'netPnl',
  'sharpe',
  'sortino',
  'totalReturnPct',
  'cagrPct',
  'profitFactor',
  'winRate',
  'maxDrawdownPct',
] as const;
export type Metric = (typeof METRICS)[number];

export function parseMetric(text: string): Metric {
  if (!(METRICS as readonly string[]).includes(text))
    throw new AppError('ERR_RESEARCH_INPUT', `--metric: one of ${METRICS.join(', ')}; got ${JSON.stringify(text)}`);
  return text as Metric;
}

/** The metric as a number for display and heatmaps (null when the stats have none). */
export function metricValue(stats: StatsJson, metric: Metric): number | null {
  const v = stats[metric];
  return typeof v === 'string' ? Number(v) : v;
}

/** > 0 when `a` is better than `b`, < 0 when worse, 0 when equal. */
export function compareMetric(a: StatsJson, b: StatsJson, metric: Metric): number {
  if (metric === 'netPnl') {
    const d = parseFixed(a.netPnl) - parseFixed(b.netPnl);
    return d > 0n ? 1 : d < 0n ? -1 : 0;
  }
  const x = a[metric];
  const y = b[metric];
  if (x === null || y === null) return x === y ? 0 : x === null ? -1 : 1;
  const d = metric === 'maxDrawdownPct' ? y - x : x - y;
  return d > 0 ? 1 : d < 0 ? -1 : 0;
}

/** Index of the best run (the first of equals); -1 for none. */
export function bestIndex(runs: readonly { readonly stats: StatsJson }[], metric: Metric): number {
  let best = -1;
  for (let i = 0; i < runs.length; i++) {
    if (
      best < 0 ||
      compareMetric((runs[i] as { stats: StatsJson }).stats, (runs[best] as { stats: StatsJson }).stats, metric) > 0
    )
      best = i;
  }
  return best;
}
