/**
 * `riskgate research sweep` (DESIGN §5): one backtest per parameter set over the whole data, run
 * by the pool's workers, reported in the order of the sets (grid or draw order) with the best set
 * by the metric (metric.ts: highest wins, ties to the earlier set).
 */
import type { ParamSet } from './param-space.ts';
import type { SweepPool } from './pool.ts';
import { bestIndex, type Metric } from './metric.ts';
import type { StatsJson } from '../backtest/stats-json.ts';

export interface SweepRun {
  readonly params: ParamSet;
  readonly stats: StatsJson;
}

export interface SweepReport {
  readonly runs: SweepRun[];
  readonly best: SweepRun;
}

export async function runSweep(
  pool: SweepPool,
  sets: readonly ParamSet[],
  bars: number,
  metric: Metric,
  onDone?: () => void,
): Promise<SweepReport> {
  const answers = await pool.run(
    sets.map((params) => ({ params, from: 0, to: bars, detail: false })),
    onDone,
  );
  const runs = answers.map((a, i) => ({ params: sets[i] as ParamSet, stats: a.stats as StatsJson }));
  return { runs, best: runs[bestIndex(runs, metric)] as SweepRun };
}

/** The JSON report: {"runs":[{"params","stats"}],"best":{"params","stats"}}. */
export function sweepJson(r: SweepReport): string {
  return JSON.stringify({ runs: r.runs, best: r.best });
}
