import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  frontContract,
  lastTradingDay,
  monthCode,
  monthOfCode,
  MONTH_CODES,
  parseFuturesSymbol,
  rollDate,
} from './futures-contracts.ts';
import { continuousSeries, type ContractSeries } from './continuous-contract.ts';

test('CME month codes F G H J K M N Q U V X Z map to months 1–12 and back', () => {
  assert.equal(MONTH_CODES.join(''), 'FGHJKMNQUVXZ');
  for (let m = 1; m <= 12; m++) assert.equal(monthOfCode(monthCode(m)), m);
  assert.equal(monthOfCode('z'), 12);
  assert.throws(() => monthOfCode('A'), /unknown month code/);
});

test('symbols MNQZ6, MNQZ2026, ESH25, M2KU5 parse to root, month and 4-digit year', () => {
  assert.deepEqual(parseFuturesSymbol('MNQZ6', 2026), { root: 'MNQ', month: 12, year: 2026, symbol: 'MNQZ2026' });
  assert.deepEqual(parseFuturesSymbol('MNQZ2026'), { root: 'MNQ', month: 12, year: 2026, symbol: 'MNQZ2026' });
  assert.deepEqual(parseFuturesSymbol('ESH25'), { root: 'ES', month: 3, year: 2025, symbol: 'ESH2025' });
  assert.equal(parseFuturesSymbol('M2KU5', 2025).root, 'M2K');
  // A 1-digit year resolves to [ref − 1, ref + 8]: Z5 seen in 2026 is the expired 2025 contract, H4 is 2034.
  assert.equal(parseFuturesSymbol('ESZ5', 2026).year, 2025);
  assert.equal(parseFuturesSymbol('ESH4', 2026).year, 2034);
  assert.throws(() => parseFuturesSymbol('ESZ6'), /reference year/);
  assert.throws(() => parseFuturesSymbol('ESF26'), /not listed in month F/);
  assert.throws(() => parseFuturesSymbol('ES-DEC'), /cannot parse/);
});

test('equity index: third Friday, roll 8 calendar days before', () => {
  assert.equal(lastTradingDay(parseFuturesSymbol('ESZ2024')), '2024-12-20');
  assert.equal(lastTradingDay(parseFuturesSymbol('ESH25')), '2025-03-21');
  assert.equal(lastTradingDay(parseFuturesSymbol('MNQZ2026')), '2026-12-18');
  assert.equal(lastTradingDay(parseFuturesSymbol('NQM2026')), '2026-06-19');
  assert.equal(rollDate(parseFuturesSymbol('ESZ2024')), '2024-12-12');
});

test('CL: 3 business days before the 25th of the prior month; 25th on a weekend moves one day earlier', () => {
  // 25 Nov 2024 is a Monday → Wed 20 Nov (the real CLZ24 last trade day).
  assert.equal(lastTradingDay(parseFuturesSymbol('CLZ2024')), '2024-11-20');
  // 25 Jan 2025 is a Saturday → business day before is Fri 24 → Tue 21 Jan (real CLG25).
  assert.equal(lastTradingDay(parseFuturesSymbol('CLG2025')), '2025-01-21');
  // January contract: the prior month is December of the previous year (weekend-only calendar).
  assert.equal(lastTradingDay(parseFuturesSymbol('CLF2025')), '2024-12-20');
  assert.equal(rollDate(parseFuturesSymbol('CLZ2024')), '2024-11-18');
});

test('GC: third last business day of the contract month; roll before first notice', () => {
  assert.equal(lastTradingDay(parseFuturesSymbol('GCZ2024')), '2024-12-27');
  // Aug 2026 ends on Monday 31 → Thu 27.
  assert.equal(lastTradingDay(parseFuturesSymbol('GCQ2026')), '2026-08-27');
  // Last business day of Nov 2024 is Fri 29 → roll Wed 27.
  assert.equal(rollDate(parseFuturesSymbol('GCZ2024')), '2024-11-27');
});

test('front contract follows the roll dates', () => {
  assert.equal(frontContract('ES', '2024-12-11').symbol, 'ESZ2024');
  assert.equal(frontContract('ES', '2024-12-12').symbol, 'ESH2025');
  assert.equal(frontContract('CL', '2024-11-19').symbol, 'CLF2025');
});

test('continuous series: difference back-adjustment removes the roll gap', () => {
  const contracts: ContractSeries[] = [
    {
      symbol: 'ESZ2024',
      rollDate: '2024-12-12',
      bars: [
        { date: '2024-12-10', close: 6000 },
        { date: '2024-12-11', close: 6010 },
        { date: '2024-12-12', close: 6020 },
        { date: '2024-12-13', close: 6030 },
      ],
    },
    {
      symbol: 'ESH2025',
      rollDate: '2025-03-13',
      bars: [
        { date: '2024-12-11', close: 6075 },
        { date: '2024-12-12', close: 6085, high: 6090, low: 6080 },
        { date: '2024-12-13', close: 6100 },
      ],
    },
  ];
  const { bars, rolls } = continuousSeries(contracts);
  assert.deepEqual(rolls, [{ date: '2024-12-12', from: 'ESZ2024', to: 'ESH2025', gap: 65 }]);
  assert.deepEqual(
    bars.map((b) => [b.date, b.contract, b.close, b.rawClose]),
    [
      ['2024-12-10', 'ESZ2024', 6065, 6000],
      ['2024-12-11', 'ESZ2024', 6075, 6010],
      ['2024-12-12', 'ESH2025', 6085, 6085],
      ['2024-12-13', 'ESH2025', 6100, 6100],
    ],
  );
  assert.equal(bars[2]!.high, 6090);
  // Without adjustment the raw prices are spliced.
  assert.deepEqual(
    continuousSeries(contracts, { adjust: false }).bars.map((b) => b.close),
    [6000, 6010, 6085, 6100],
  );
});

test('continuous series uses the last common date before the roll and chains gaps backwards', () => {
  const mk = (symbol: string, rollDate: string, closes: [string, number][]): ContractSeries => ({
    symbol,
    rollDate,
    bars: closes.map(([date, close]) => ({ date, close })),
  });
  const out = continuousSeries([
    mk('A', '2024-01-10', [
      ['2024-01-08', 100],
      ['2024-01-09', 101],
    ]),
    mk('B', '2024-02-10', [
      ['2024-01-09', 103],
      ['2024-01-10', 104],
      ['2024-02-09', 110],
      ['2024-02-10', 111],
    ]),
    mk('C', '2024-03-10', [
      ['2024-02-10', 108],
      ['2024-02-11', 109],
    ]),
  ]);
  assert.deepEqual(
    out.rolls.map((r) => r.gap),
    [2, -3],
  );
  assert.deepEqual(
    out.bars.map((b) => b.close),
    [99, 100, 101, 107, 108, 109],
  );
});
