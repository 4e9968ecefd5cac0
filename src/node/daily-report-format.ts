/**
 * The daily report as CSV (one summary row, header first, so days concatenate; fills in a file of
 * their own) and as a readable HTML page (inline CSS, no scripts or external assets).
 */
import type { DailyReport } from './daily-report.ts';

export const SUMMARY_COLUMNS = [
  'account',
  'date',
  'mode',
  'grossRealizedPnl',
  'fees',
  'netRealizedPnl',
  'unrealizedPnl',
  'trades',
  'breaches',
  'rejections',
  'slippageFills',
  'slippageTicks',
  'slippage',
  'maxDrawdown',
  'wouldHaveLockedAt',
  'wouldHaveFlattenedAt',
] as const;

export const FILL_COLUMNS = [
  'ts',
  'orderId',
  'fillId',
  'symbol',
  'side',
  'qty',
  'price',
  'fee',
  'orderType',
  'expectedPrice',
  'slippageTicks',
  'slippage',
] as const;

function cell(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function summaryRow(r: DailyReport): Record<(typeof SUMMARY_COLUMNS)[number], unknown> {
  return {
    account: r.account,
    date: r.date,
    mode: r.mode,
    grossRealizedPnl: r.grossRealizedPnl,
    fees: r.fees,
    netRealizedPnl: r.netRealizedPnl,
    unrealizedPnl: r.unrealizedPnl,
    trades: r.trades,
    breaches: r.breaches.map((b) => `${b.rule} ${b.action}${b.symbol ? ` ${b.symbol}` : ''} ${b.ts}`).join('; '),
    rejections: r.rejections.length,
    slippageFills: r.slippage.fills,
    slippageTicks: r.slippage.ticks,
    slippage: r.slippage.money,
    maxDrawdown: r.maxDrawdown,
    wouldHaveLockedAt: r.wouldHave.lockedAt?.ts,
    wouldHaveFlattenedAt: r.wouldHave.flattenedAt?.ts,
  };
}

export function dailyReportCsv(r: DailyReport): string {
  const row = summaryRow(r);
  return `${SUMMARY_COLUMNS.join(',')}\n${SUMMARY_COLUMNS.map((c) => cell(row[c])).join(',')}\n`;
}

export function dailyFillsCsv(r: DailyReport): string {
  const lines = [FILL_COLUMNS.join(',')];
  for (const f of r.fills)
    lines.push(FILL_COLUMNS.map((c) => cell((f as unknown as Record<string, unknown>)[c])).join(','));
  return `${lines.join('\n')}\n`;
}

const esc = (s: unknown): string => String(s ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function table(head: readonly string[], rows: readonly (readonly unknown[])[]): string {
  if (rows.length === 0) return '<p class="none">none</p>';
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const trs = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${trs}\n</tbody></table>`;
}

export function dailyReportHtml(r: DailyReport): string {
  const w = r.wouldHave;
  const summary: [string, unknown][] = [
    ['Net realized P&L', r.netRealizedPnl],
    ['Gross realized P&L', r.grossRealizedPnl],
    ['Fees', r.fees],
    ['Unrealized P&L', `${r.unrealizedPnl}${r.complete ? ' (at the day end)' : ' (now)'}`],
    ['Trades (fills)', r.trades],
    ['Max drawdown of the day', r.maxDrawdown],
    ['Slippage', `${r.slippage.money} (${r.slippage.ticks} ticks over ${r.slippage.fills} fill(s))`],
    ['Would have locked at', w.lockedAt ? `${w.lockedAt.ts} by ${w.lockedAt.rule} until ${w.lockedAt.until}` : '—'],
    ['Would have flattened at', w.flattenedAt ? `${w.flattenedAt.ts} by ${w.flattenedAt.rule}` : '—'],
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>riskgate daily report ${esc(r.account)} ${esc(r.date)}</title>
<style>body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}
td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}th{background:#f3f3f3}.none{color:#777}</style></head>
<body>
<h1>Daily report: ${esc(r.account)}, ${esc(r.date)}</h1>
<p>${esc(r.mode)} mode; trading day ${esc(r.from)} to ${esc(r.to)}${r.complete ? '' : ' (not over yet)'}</p>
${table(['', ''], summary)}
<h2>Breaches</h2>
${table(
  ['rule', 'time', 'action', 'symbol', 'until'],
  r.breaches.map((b) => [b.rule, b.ts, b.action, b.symbol, b.until]),
)}
<h2>Rejections</h2>
${table(
  ['rule', 'time', 'order'],
  r.rejections.map((x) => [x.rule, x.ts, x.orderId]),
)}
<h2>Fills</h2>
${table(
  ['time', 'order', 'symbol', 'side', 'qty', 'price', 'fee', 'expected', 'slippage ticks', 'slippage'],
  r.fills.map((f) => [
    f.ts,
    f.orderId,
    f.symbol,
    f.side,
    f.qty,
    f.price,
    f.fee,
    f.expectedPrice,
    f.slippageTicks,
    f.slippage,
  ]),
)}
</body></html>
`;
}
