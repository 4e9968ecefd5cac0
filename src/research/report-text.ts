/** `--report text` of the research commands: one line per run or window, then the best / combined result. */
import { fmtNum, paramsLabel } from '../backtest/report-text.ts';
import type { StatsJson } from '../backtest/stats-json.ts';
import type { SweepReport } from './sweep.ts';
import type { WalkForwardReport } from './walkforward.ts';
import type { SelectionReport } from './select.ts';

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

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Candidates, the last selections with every factor, the portfolio and the stress scenarios. */
export function selectionText(r: SelectionReport, lastSelections = 5): string {
  const lines = ['candidates (whole data, alone):'];
  for (const c of r.candidates) lines.push(`  ${c.id.padEnd(28)} ${statsLine(c.stats)}`);
  const a = r.settings.allocation;
  lines.push(
    '',
    `selections: ${r.selections.length} (every ${r.settings.rebalance} bars, lookback ${r.settings.lookback}, at most ${r.settings.maxActive} active; ${a.method}, cap ${pct(a.maxWeight)}, VaR budget ${pct(a.varBudget)}, drawdown budget ${pct(a.drawdownBudget)}, Kelly ${a.kelly})`,
  );
  for (const s of r.selections.slice(-lastSelections)) {
    lines.push(`  ${s.at}  regime ${s.regime.trend}/${s.regime.volatility}`);
    for (const c of s.scores)
      lines.push(
        `    ${c.active ? '*' : ' '} ${c.id.padEnd(26)} score ${c.score.toFixed(2).padStart(6)} = sharpe ${c.contributions.sharpe.toFixed(2)} + regime ${c.contributions.regime.toFixed(2)} (${c.regimeBars} bars) + drawdown ${c.contributions.drawdown.toFixed(2)} (${c.maxDrawdownPct.toFixed(1)}%) + correlation ${c.contributions.correlation.toFixed(2)}`,
      );
    const al = s.allocation;
    const w = Object.entries(al.weights)
      .map(([id, x]) => `${id} ${pct(x)}`)
      .join(', ');
    lines.push(
      `    allocation ${al.method}${al.fallback ? ` (fallback: ${al.fallback})` : ''}: ${w || 'all cash'}; exposure ${pct(al.exposure)}, scale ${al.scale.toFixed(2)} (VaR ${al.scales.var.toFixed(2)}, drawdown ${al.scales.drawdown.toFixed(2)}, Kelly ${al.scales.kelly.toFixed(2)})`,
    );
  }
  const p = r.portfolio.stats;
  lines.push(
    '',
    `portfolio: return ${fmtNum(p.totalReturnPct, 2, '%')}  CAGR ${fmtNum(p.cagrPct, 2, '%')}  sharpe ${fmtNum(p.sharpe)}  maxDD ${fmtNum(p.maxDrawdownPct, 2, '%')}  mean exposure ${fmtNum(p.exposurePct, 1, '%')}`,
  );
  const last = [...r.selections].reverse().find((s) => s.active.length > 0);
  if (last === undefined) return `${lines.join('\n')}\n`;
  lines.push('', `stress of the last allocation with strategies (${last.at}):`);
  for (const s of last.stress)
    lines.push(
      `  ${s.scenario.padEnd(9)} market ${fmtNum(s.priceShock * 100, 0, '%').padStart(5)} → portfolio ${fmtNum(s.pnlPct, 2, '%')}`,
    );
  return `${lines.join('\n')}\n`;
}
