/** `--report text` of the research commands: one line per run or window, then the best / combined result. */
import { fmtNum, paramsLabel } from '../backtest/report-text.ts';
import type { StatsJson } from '../backtest/stats-json.ts';
import type { SweepReport } from './sweep.ts';
import type { WalkForwardReport } from './walkforward.ts';

function statsLine(s: StatsJson): string {
  return `net ${s.netPnl}  return ${fmtNum(s.totalReturnPct, 2, '%')}  sharpe ${fmtNum(s.sharpe)}  maxDD ${fmtNum(s.maxDrawdownPct, 2, '%')}  trades ${s.trades}`;
}

export function sweepText(r: SweepReport, metric: string): string {
  const lines = r.runs.map((run) => `${paramsLabel(run.params)}  ${statsLine(run.stats)}`);
  lines.push('', `best by ${metric}: ${paramsLabel(r.best.params)}  ${statsLine(r.best.stats)}`);
  return `${lines.join('\n')}\n`;
}

export function walkForwardText(r: WalkForwardReport): string {
  const lines = r.windows.map(
    (w) =>
      `in ${w.inSample.from}..${w.inSample.to} → ${paramsLabel(w.outOfSample.params)}  |  out ${w.outOfSample.from}..${w.outOfSample.to}  ${statsLine(w.outOfSample.stats)}`,
  );
  lines.push('', `out-of-sample combined: ${statsLine(r.outOfSample.stats)}`);
  return `${lines.join('\n')}\n`;
}
