/**
 * The daily report: given an account's journal events and its day book, then realized and
 * unrealized P&L, slippage per fill, the day's drawdown and what riskgate would have done.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TradingCalendar } from '../domain/calendar.ts';
import { parseFixed } from '../domain/money.ts';
import { InstrumentTable } from '../domain/instrument.ts';
import { isAppError } from '../errors.ts';
import { buildDailyReport, shadowReportOf, tradingDayNamed, type DailyReportInput } from './daily-report.ts';
import { dailyFillsCsv, dailyReportCsv, dailyReportHtml } from './daily-report-format.ts';

const instruments = new InstrumentTable();
const calendar = new TradingCalendar('America/Chicago', '17:00');
const quote = (ts: string, last: string) => ({ ts, type: 'quote', symbol: 'MES', last });
const order = (ts: string, orderId: string, side: string, orderType: string, price?: string) => ({
  ts,
  type: 'order',
  account: 'A1',
  orderId,
  symbol: 'MES',
  side,
  qty: 2,
  orderType,
  ...(price ? { price } : {}),
});
const fill = (ts: string, orderId: string, side: string, price: string, fee = '0.74', account = 'A1') => ({
  ts,
  type: 'fill',
  account,
  orderId,
  fillId: `f-${orderId}`,
  symbol: 'MES',
  side,
  qty: 2,
  price,
  fee,
});

function input(
  events: Record<string, unknown>[],
  breaches: DailyReportInput['book']['breaches'] = [],
): DailyReportInput {
  return {
    account: 'A1',
    date: '2026-03-03',
    mode: 'shadow',
    day: tradingDayNamed(calendar, '2026-03-03'),
    now: Date.parse('2026-03-04T00:00:00.000Z'),
    book: {
      grossRealized: parseFixed('97.5'),
      fees: parseFixed('1.48'),
      fills: 2,
      breaches,
      rejections: [{ rule: 'RULE-003', ts: '2026-03-03T16:00:00.000Z', orderId: 'o3' }],
    },
    events,
    instrumentOf: (s) => instruments.find(s),
  };
}

const DAY = [
  quote('2026-03-03T15:00:00.000Z', '5000'),
  order('2026-03-03T15:00:01.000Z', 'o1', 'buy', 'market'),
  fill('2026-03-03T15:00:01.000Z', 'o1', 'buy', '5000.50'),
  quote('2026-03-03T15:01:00.000Z', '4990'),
  order('2026-03-03T15:02:00.000Z', 'o2', 'sell', 'limit', '5010'),
  fill('2026-03-03T15:03:00.000Z', 'o2', 'sell', '5010.25'),
  quote('2026-03-03T15:04:00.000Z', '5020'),
];

test('a trading day is named by the date holding most of it (CME 17:00 reset: the evening before belongs to the next date)', () => {
  const d = tradingDayNamed(calendar, '2026-03-03');
  assert.equal(new Date(d.start).toISOString(), '2026-03-02T23:00:00.000Z');
  assert.equal(new Date(d.end).toISOString(), '2026-03-03T23:00:00.000Z');
  for (const bad of ['2026-3-3', 'yesterday', '2026-02-30']) {
    assert.throws(
      () => tradingDayNamed(calendar, bad),
      (e) => isAppError(e) && e.code === 'ERR_INPUT_INVALID',
      bad,
    );
  }
});

test('slippage per fill: a market order against the mark at submit, a limit order against its limit; + is worse', () => {
  const r = buildDailyReport(input(DAY));
  assert.deepEqual(
    r.fills.map((f) => [f.orderId, f.expectedPrice, f.slippageTicks, f.slippage]),
    [
      ['o1', '5000', '2', '5'], // bought 0.50 above the 5000 mark: 2 ticks × 2 contracts × 1.25
      ['o2', '5010', '-1', '-2.5'], // sold 0.25 above the 5010 limit: better than asked
    ],
  );
  assert.deepEqual(r.slippage, { fills: 2, ticks: '1', money: '2.5' });
});

test('the day: realized from the day book, unrealized at the end, drawdown from the day high of net realized + unrealized', () => {
  const r = buildDailyReport(input(DAY));
  assert.equal(r.netRealizedPnl, '96.02');
  assert.equal(r.unrealizedPnl, '0');
  // Flat at 0; after the buy −0.74 fee −5 (mark 5000); at 4990: −0.74 − 105 = −105.74.
  assert.equal(r.maxDrawdown, '105.74');
  assert.equal(r.complete, true);
  assert.equal(r.trades, 2);
});

test('a position carried into the day counts at the marks of the day; earlier fills are not the day’s', () => {
  const r = buildDailyReport(
    input([
      quote('2026-03-02T20:00:00.000Z', '5000'),
      order('2026-03-02T20:00:00.000Z', 'o0', 'buy', 'market'),
      fill('2026-03-02T20:00:01.000Z', 'o0', 'buy', '5000'),
      quote('2026-03-03T14:00:00.000Z', '5004'),
      quote('2026-03-03T14:30:00.000Z', '4998'),
      quote('2026-03-03T23:30:00.000Z', '4000'), // the next day: not this one's
    ]),
  );
  assert.equal(r.fills.length, 0);
  assert.equal(r.unrealizedPnl, '-20'); // (4998 − 5000) × 2 × 5
  assert.equal(r.maxDrawdown, '60'); // from +40 at 5004 to −20 at 4998
});

test('would have: the first lock with its end, the first flatten, the position closes and the rejections', () => {
  const r = buildDailyReport(
    input(DAY, [
      { rule: 'RULE-004', ts: '2026-03-03T15:01:00.000Z', action: 'close_position', symbol: 'MES' },
      { rule: 'RULE-003', ts: '2026-03-03T15:05:00.000Z', action: 'close_all', until: '2026-03-03T23:00:00.000Z' },
    ]),
  );
  assert.deepEqual(r.wouldHave.lockedAt, {
    ts: '2026-03-03T15:05:00.000Z',
    rule: 'RULE-003',
    until: '2026-03-03T23:00:00.000Z',
  });
  assert.deepEqual(r.wouldHave.flattenedAt, { ts: '2026-03-03T15:05:00.000Z', rule: 'RULE-003' });
  assert.equal(r.wouldHave.closedPositions.length, 1);
  const s = shadowReportOf(r);
  assert.equal((s.wouldHaveRejected as unknown[]).length, 1);
  const quiet = buildDailyReport(input(DAY));
  assert.equal(shadowReportOf(quiet).wouldHaveLockedAt, null);
});

test('CSV: a summary row under its header, fills apart; HTML escapes what it shows', () => {
  const r = buildDailyReport(input(DAY));
  const [head, row] = dailyReportCsv(r).trim().split('\n');
  const cols = head!.split(',');
  const cells = row!.split(',');
  assert.equal(cells[cols.indexOf('netRealizedPnl')], '96.02');
  assert.equal(cells[cols.indexOf('maxDrawdown')], '105.74');
  assert.equal(dailyFillsCsv(r).trim().split('\n').length, 3);
  const html = dailyReportHtml({ ...r, account: '<A1>' });
  assert.ok(html.includes('&#60;A1&#62;') && !html.includes('<A1>'));
  assert.ok(html.includes('105.74'));
});
