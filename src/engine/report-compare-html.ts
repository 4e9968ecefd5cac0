/**
 * The `replay --compare --html` page: per account with differences, its cumulative net realized
 * P&L under each config (when both reports are given; breaches under the new config marked), and a
 * table with a row per differing day. One self-contained file.
 */
import { ATTRIBUTION, chartFigure, chartsScripts, esc, type ChartSpec } from '../report/page.ts';
import { breachLine, pnlChange, rejectionLine, type ReplayComparison } from './report-compare.ts';
import { accountChart, REPLAY_CSS } from './report-html.ts';
import type { ReplayReport } from './report.ts';

function changeItems(added: string[], removed: string[]): string {
  const items = [
    ...added.map((t) => `<li class="add">+ ${esc(t)}</li>`),
    ...removed.map((t) => `<li class="rm">− ${esc(t)}</li>`),
  ];
  return items.length ? `<ul>${items.join('')}</ul>` : '';
}

export function comparisonHtml(
  c: ReplayComparison,
  configs: { old: string; new: string },
  reports?: { old: ReplayReport; new: ReplayReport },
): string {
  const title = `Replay compare (${c.mode})`;
  const sections: string[] = [];
  const charts: ChartSpec[] = [];
  for (const [id, a] of Object.entries(c.accounts)) {
    const chartId = `chart-account-${charts.length}`;
    if (reports) {
      const old = { days: reports.old.accounts[id]?.days ?? {}, name: 'under the old config (--compare)' };
      charts.push(accountChart(chartId, reports.new.accounts[id]?.days ?? {}, old, 'under the new config (--config)'));
    }
    const rows = Object.entries(a.days).map(([label, d]) => {
      const pnl = d.netRealizedPnl;
      const change = pnlChange(pnl);
      const cls = change.startsWith('+') ? 'add' : change.startsWith('-') ? 'rm' : '';
      const items = changeItems(
        [...d.breaches.added.map(breachLine), ...d.rejections.added.map(rejectionLine)],
        [...d.breaches.removed.map(breachLine), ...d.rejections.removed.map(rejectionLine)],
      );
      return `<tr><td>${esc(label)}</td><td>${esc(pnl.old)}</td><td>${esc(pnl.new)}</td><td class="${cls}">${esc(change)}</td><td class="l">${items}</td></tr>`;
    });
    const figure = reports
      ? `${chartFigure(chartId, `Account ${id}: cumulative net realized P&L under each config`)}\n`
      : '';
    sections.push(
      `<h2>Account ${esc(id)}</h2>\n${figure}<table><tr><th>day</th><th>net old</th><th>net new</th><th>change</th><th class="l">breaches and rejections</th></tr>\n${rows.join('\n')}\n</table>`,
    );
  }
  if (!sections.length) sections.push('<p>No differences.</p>');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
${REPLAY_CSS}
</style></head><body>
<h1>${esc(title)}</h1>
<p>new: <code>${esc(configs.new)}</code> (<span class="add">+</span> only here) · old: <code>${esc(configs.old)}</code> (<span class="rm">−</span> only here) · events: ${c.events}</p>
${sections.join('\n')}
${charts.length ? `${ATTRIBUTION}\n${chartsScripts({ charts })}` : ''}</body></html>
`;
}
