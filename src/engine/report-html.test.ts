import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportChartsScript } from '../report/charts-script.ts';
import { breachMarks, cumulativeNet, replayHtml } from './report-html.ts';
import type { DayReport, ReplayReport } from './report.ts';

const day = (net: string, breaches: DayReport['breaches'] = []): DayReport => ({
  grossRealizedPnl: net,
  fees: '0',
  netRealizedPnl: net,
  fills: 2,
  breaches,
  rejections: [],
});
const lockout = {
  rule: 'RULE-003',
  ts: '2026-03-03T15:00:00.000Z',
  action: 'close_all',
  until: '2026-03-03T23:00:00.000Z',
};

test('cumulativeNet sums net realized P&L exactly, day by day in order', () => {
  const days = { '2026-03-03': day('-0.2'), '2026-03-02': day('0.1'), '2026-03-04': day('0.1') };
  assert.deepEqual(cumulativeNet(days), [
    { time: '2026-03-02', value: '0.1' },
    { time: '2026-03-03', value: '-0.1' },
    { time: '2026-03-04', value: '0' },
  ]);
});

test('breachMarks put each breach on its trading day, named by rule and symbol', () => {
  const days = {
    '2026-03-02': day('1', [
      { rule: 'RULE-007', ts: '2026-03-02T15:00:00.000Z', action: 'close_position', symbol: 'MNQ' },
    ]),
    '2026-03-03': day('1', [lockout]),
  };
  assert.deepEqual(breachMarks(days), [
    { time: '2026-03-02', label: 'RULE-007 MNQ' },
    { time: '2026-03-03', label: 'RULE-003' },
  ]);
});

test('replayHtml embeds the chart data and the chart script, and lists days and positions', () => {
  const r: ReplayReport = {
    accounts: {
      A1: {
        days: { '2026-03-02': day('-82'), '2026-03-03': day('20.5', [lockout]) },
        positions: { MNQ: { qty: 1, avgPrice: '18000', unrealizedPnl: '-50' } },
      },
      'A<2>': { days: {}, positions: {} },
    },
    events: 9,
    hash: 'abc',
  };
  const html = replayHtml(r, 'replay test');
  assert.match(html, /^<!doctype html>/);
  const data = /<script type="application\/json" id="rg-report-data">(.*?)<\/script>/.exec(html);
  assert.ok(data, 'data block');
  const page = JSON.parse(data[1]!);
  assert.deepEqual(page.charts[0].data.points, [
    { time: '2026-03-02', value: '-82' },
    { time: '2026-03-03', value: '-61.5' },
  ]);
  assert.deepEqual(page.charts[0].data.breaches, [{ time: '2026-03-03', label: 'RULE-003' }]);
  assert.match(html, /<div id="chart-account-0" class="chart-area"><\/div>/);
  const script = reportChartsScript();
  assert.ok(script.length > 10_000 && html.includes(`<script>${script}</script>`), 'the inlined chart script');
  assert.match(
    html,
    /<tr><td>2026-03-03<\/td><td>20.5<\/td><td>0<\/td><td class="add">20.5<\/td><td>2<\/td><td>1<\/td>/,
  );
  assert.match(html, /<tr><td>MNQ<\/td><td>1<\/td><td>18000<\/td><td>-50<\/td><\/tr>/);
  assert.match(html, /Account A&#60;2&#62;<\/h2>\n<p>No activity.<\/p>/);
  assert.doesNotMatch(html, /<script[^>]*\ssrc=|<link|@import/, 'nothing loaded from elsewhere');
});
