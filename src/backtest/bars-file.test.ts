import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { parseFixed } from '../domain/money.ts';
import { loadBars, parseBarsCsv, parseBarsJson, parseTime } from './bars-file.ts';

const shared = (p: string) => fileURLToPath(new URL(`../../../shared/data/bars/${p}`, import.meta.url));

describe('bars files', () => {
  it('reads the S&P 500 daily CSV exactly (extra adjclose column ignored)', () => {
    const bars = loadBars(shared('sp500-2000.csv'));
    assert.equal(bars.length, 5105);
    const first = bars[0];
    assert.equal(first?.ts, Date.UTC(2000, 0, 3));
    assert.equal(first?.open, parseFixed('1469.25'));
    assert.equal(first?.close, parseFixed('1455.219971'));
    assert.equal(first?.volume, parseFixed('931800000'));
    assert.equal(first?.num.close, 1455.219971);
    assert.equal(bars[bars.length - 1]?.ts, Date.UTC(2020, 3, 17));
  });

  it('takes columns by name in any order, a time column with date-times, no volume', () => {
    const bars = parseBarsCsv(
      'Close,Time,High,Low,Open,note\n10.5,2026-03-02 14:30,11,10,10.25,x\n10.75,2026-03-02T14:31:00Z,10.75,10.5,10.5,y\n',
    );
    assert.deepEqual(
      bars.map((b) => [b.ts, b.open, b.close, b.volume]),
      [
        [Date.UTC(2026, 2, 2, 14, 30), parseFixed('10.25'), parseFixed('10.5'), undefined],
        [Date.UTC(2026, 2, 2, 14, 31), parseFixed('10.5'), parseFixed('10.75'), undefined],
      ],
    );
  });

  it('names the line and the problem', () => {
    assert.throws(
      () => parseBarsCsv('date,open,high,low\n2020-01-01,1,1,1\n', 'x.csv'),
      /x\.csv line 1: header has no close column/,
    );
    assert.throws(
      () => parseBarsCsv('date,open,high,low,close\n2020-01-01,1,2,0.5,1\n2020-01-02,1,abc,0.5,1\n', 'x.csv'),
      /x\.csv line 3: high is not a decimal/,
    );
    assert.throws(
      () => parseBarsCsv('date,open,high,low,close\n2020-01-02,1,2,0.5,1\n2020-01-01,1,2,0.5,1\n', 'x.csv'),
      /line 3: time is not after/,
    );
    assert.throws(
      () => parseBarsCsv('date,open,high,low,close\n2020-01-02,1,0.9,0.5,1\n', 'x.csv'),
      /line 2: high is below/,
    );
    assert.throws(
      () => parseBarsCsv('date,open,high,low,close\nyesterday,1,2,0.5,1\n', 'x.csv'),
      /line 2: cannot read time/,
    );
  });

  it('reads epoch seconds, milliseconds and nanoseconds', () => {
    assert.equal(parseTime('1700000000'), 1_700_000_000_000);
    assert.equal(parseTime('1700000000123'), 1_700_000_000_123);
    assert.equal(parseTime('1700000000123456789'), 1_700_000_000_123);
  });

  it('reads JSON candles (trading-signals format, decimal strings)', () => {
    const bars = loadBars(shared('intraday/urth-2025-1h.json'));
    assert.equal(bars.length, 1549);
    assert.ok(bars.every((b, i) => i === 0 || b.ts > (bars[i - 1]?.ts ?? 0)));
    assert.throws(() => parseBarsJson('{"a":1}', 'c.json'), /c\.json: expected a non-empty JSON array/);
  });
});
