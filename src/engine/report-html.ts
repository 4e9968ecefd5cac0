/**
 * The `replay --html` page: per account, cumulative net realized P&L by trading day with the
 * day's breaches marked, then the days (figures, breaches, rejections) and open positions. One
 * self-contained file (charts from web/charts, inlined).
 */
import { formatFixed, parseFixed } from '../domain/money.ts';
import {
  ATTRIBUTION,
  CHART_CSS,
  chartFigure,
  chartsScripts,
  esc,
  type ChartSpec,
  type SpecPoint,
} from '../report/page.ts';
import type { DayReport, ReplayReport } from './report.ts';

/** Net realized P&L summed day by day (exact), as decimal strings by day label. */
export function cumulativeNet(days: Readonly<Record<string, DayReport>>): SpecPoint[] {
  let sum = 0n;
  return Object.keys(days)
    .sort()
    .map((label) => {
      sum += parseFixed(days[label]!.netRealizedPnl);
      return { time: label, value: formatFixed(sum) };
    });
}

/** Breach marks on their trading day, labelled by rule (and symbol). */
export function breachMarks(days: Readonly<Record<string, DayReport>>): Array<{ time: string; label: string }> {
  return Object.entries(days).flatMap(([label, d]) =>
    d.breaches.map((b) => ({ time: label, label: b.symbol ? `${b.rule} ${b.symbol}` : b.rule })),
  );
}

/** A cumulative-P&L chart for one account; `old` adds the same under another config. */
export function accountChart(
  id: string,
  days: Readonly<Record<string, DayReport>>,
  old?: { days: Readonly<Record<string, DayReport>>; name: string },
  name = 'cumulative net P&L',
): ChartSpec {
  return {
    id,
    kind: 'equity',
    data: {
      points: cumulativeNet(days),
      ...(old ? { benchmark: cumulativeNet(old.days), benchmarkName: old.name } : {}),
      breaches: breachMarks(days),
      name,
      height: 300,
    },
  };
}

export const REPLAY_CSS = `body{font-family:system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{padding:2px 10px;border-bottom:1px solid #eee;text-align:right;vertical-align:top}
th{background:#f6f8fa}td:first-child,th:first-child,.l{text-align:left}td:first-child{white-space:nowrap}
ul{margin:0;padding-left:0;list-style:none}.add{color:#0a6b2d}.rm{color:#b3261e}
${CHART_CSS}`;

function dayRows(days: Readonly<Record<string, DayReport>>): string {
  return Object.entries(days)
    .map(([label, d]) => {
      const items = [
        ...d.breaches.map(
          (b) =>
            `<li>breach ${esc(b.rule)} ${esc(b.action)}${b.symbol ? ` ${esc(b.symbol)}` : ''} at ${esc(b.ts)}${b.until ? ` until ${esc(b.until)}` : ''}</li>`,
        ),
        ...(d.rejections ?? []).map((j) => `<li>reject ${esc(j.rule)} order ${esc(j.orderId)} at ${esc(j.ts)}</li>`),
      ];
      const cls = d.netRealizedPnl.startsWith('-') ? 'rm' : 'add';
      return `<tr><td>${esc(label)}</td><td>${esc(d.grossRealizedPnl)}</td><td>${esc(d.fees)}</td><td class="${cls}">${esc(d.netRealizedPnl)}</td><td>${d.fills}</td><td>${d.breaches.length}</td><td class="l">${items.length ? `<ul>${items.join('')}</ul>` : ''}</td></tr>`;
    })
    .join('\n');
}

export function replayHtml(r: ReplayReport, title = 'riskgate replay'): string {
  const charts: ChartSpec[] = [];
  const sections = Object.entries(r.accounts).map(([id, a], i) => {
    const chartId = `chart-account-${i}`;
    const hasDays = Object.keys(a.days).length > 0;
    if (hasDays) charts.push(accountChart(chartId, a.days));
    const positions = Object.entries(a.positions)
      .map(
        ([s, p]) =>
          `<tr><td>${esc(s)}</td><td>${esc(String(p.qty))}</td><td>${esc(p.avgPrice)}</td><td>${esc(p.unrealizedPnl)}</td></tr>`,
      )
      .join('\n');
    return `<h2>Account ${esc(id)}</h2>
${hasDays ? chartFigure(chartId, `Account ${id}: cumulative net realized P&L by trading day, breaches marked`) : '<p>No activity.</p>'}
${hasDays ? `<table><tr><th>day</th><th>gross</th><th>fees</th><th>net</th><th>fills</th><th>breaches</th><th class="l">breaches and rejections</th></tr>\n${dayRows(a.days)}\n</table>` : ''}
${positions ? `<table><tr><th>position</th><th>qty</th><th>avgPrice</th><th>unrealized</th></tr>\n${positions}\n</table>` : '<p>Flat.</p>'}`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
${REPLAY_CSS}
</style></head><body>
<h1>${esc(title)}</h1>
<p>events: ${r.events} · journal head: <code>${esc(r.hash)}</code></p>
${sections.join('\n')}
${charts.length ? `${ATTRIBUTION}\n${chartsScripts({ charts })}` : ''}</body></html>
`;
}
