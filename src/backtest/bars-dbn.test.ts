import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFixed } from '../domain/money.ts';
import { InstrumentSymbols } from '../adapters/databento/symbology.ts';
import type { DbnJsonRecord } from '../adapters/databento/layout.ts';
import { barsFromOhlcv, loadDbnBars } from './bars-dbn.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const dbn = (p: string) => path.resolve(repoRoot, '../shared/data/dbn', p);

/** The oracle: `dbn --json` output of the same file (prices as 1e-9 integers). */
function expected(name: string): Array<{ ts: number; ohlc: string[] }> {
  return readFileSync(dbn(`expected/${name}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { hd: { ts_event: string }; open: string; high: string; low: string; close: string })
    .map((r) => ({
      ts: Number(BigInt(r.hd.ts_event) / 1_000_000n),
      ohlc: [r.open, r.high, r.low, r.close].map((p) => formatFixed(BigInt(p) * 1_000_000_000n)),
    }));
}

describe('bars from DBN OHLCV files', () => {
  for (const name of ['test_data.ohlcv-1s.dbn', 'test_data.ohlcv-1m.v3.dbn.zst', 'test_data.ohlcv-1h.v1.dbn.zst']) {
    it(`${name}: exact prices (1e-9 → Fixed), bar start times, symbol from the metadata`, async () => {
      const { symbol, bars } = await loadDbnBars(dbn(name));
      const want = expected(name);
      assert.equal(symbol, 'ESH1');
      assert.equal(bars.length, want.length);
      assert.ok(bars.length > 0);
      assert.deepEqual(
        bars.map((b) => ({ ts: b.ts, ohlc: [b.open, b.high, b.low, b.close].map(formatFixed) })),
        want,
      );
    });
  }

  it('an OHLCV file without records and a file of another schema are clear errors', async () => {
    await assert.rejects(loadDbnBars(dbn('test_data.ohlcv-1d.dbn')), /no OHLCV bars \(the file holds no records\)/);
    await assert.rejects(loadDbnBars(dbn('test_data.trades.dbn')), /backtest needs ohlcv-1s\/1m\/1h\/1d/);
  });

  it('several instruments: --symbol is required and picks one (by symbol or instrument id)', () => {
    const rec = (id: number, minute: number, px: string): DbnJsonRecord =>
      ({
        hd: {
          ts_event: String(BigInt(Date.UTC(2021, 0, 4, 15, minute)) * 1_000_000n),
          rtype: 0x21,
          publisher_id: 1,
          instrument_id: id,
        },
        open: px,
        high: px,
        low: px,
        close: px,
        volume: '1',
      }) as unknown as DbnJsonRecord;
    const records = [rec(1, 0, '100000000000'), rec(2, 0, '200000000000'), rec(1, 1, '101000000000')];
    const symbols = new InstrumentSymbols({
      mappings: [
        { raw_symbol: 'ESH1', intervals: [{ start_date: 20210101, end_date: 20210201, symbol: '1' }] },
        { raw_symbol: 'NQH1', intervals: [{ start_date: 20210101, end_date: 20210201, symbol: '2' }] },
      ],
      stype_in: 'raw_symbol',
    } as unknown as ConstructorParameters<typeof InstrumentSymbols>[0]);
    assert.throws(
      () => barsFromOhlcv(records, symbols, 'two.dbn'),
      /2 instruments \(ESH1, NQH1\): choose one with --symbol/,
    );
    const es = barsFromOhlcv(records, symbols, 'two.dbn', 'esh1');
    assert.equal(es.symbol, 'ESH1');
    assert.deepEqual(
      es.bars.map((b) => formatFixed(b.close)),
      ['100', '101'],
    );
    assert.equal(barsFromOhlcv(records, symbols, 'two.dbn', '2').symbol, 'NQH1');
    assert.throws(() => barsFromOhlcv(records, symbols, 'two.dbn', 'CL'), /no bars for --symbol CL/);
  });
});
