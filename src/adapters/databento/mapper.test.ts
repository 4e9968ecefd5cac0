/**
 * DBN → quote events, checked on the real fixtures against values derived straight from the
 * oracle JSONL (an independent string-based price conversion), plus hand-checked spot values.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAppError } from '../../errors.ts';
import { decodeDbn, type DbnJsonRecord } from './index.ts';
import { DbnQuoteMapper, dbnPriceToDecimal, type QuoteEvent } from './mapper.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/dbn');

function load(file: string): { mapper: DbnQuoteMapper; records: DbnJsonRecord[]; want: Record<string, unknown>[] } {
  const { metadata, records } = decodeDbn(readFileSync(path.join(DATA, file)));
  const want = readFileSync(path.join(DATA, 'expected', `${file}.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { mapper: new DbnQuoteMapper(metadata), records, want };
}

/** Independent conversion: insert the decimal point 9 digits from the right, trim zeros. */
function px(raw: unknown): string | undefined {
  const s = String(raw);
  if (s === '9223372036854775807') return undefined;
  const neg = s.startsWith('-');
  const digits = (neg ? s.slice(1) : s).padStart(10, '0');
  const text = `${digits.slice(0, -9)}.${digits.slice(-9)}`.replace(/0+$/, '').replace(/\.$/, '');
  return neg ? `-${text}` : text;
}

const iso = (ns: unknown): string => new Date(Number(String(ns).slice(0, -6))).toISOString();

const BOOK_FILES: Array<[string, string]> = [
  ['test_data.mbp-1.dbn', 'ESH1'],
  ['test_data.tbbo.v1.dbn.zst', 'ESH1'],
  ['test_data.bbo-1s.v3.dbn.zst', 'ESH1'],
  ['test_data.cbbo-1s.dbn', 'ESH1'],
  ['test_data.cmbp-1.v2.dbn.zst', 'ESH1'],
  ['test_data.mbp-10.v3.dbn.zst', 'ESH1'],
  ['databento-python/EQUS.MINI/test_data.mbp-1.dbn.zst', 'QQQ'],
  ['databento-python/EQUS.MINI/test_data.bbo-1m.dbn.zst', 'QQQ'],
  ['databento-python/OPRA.PILLAR/test_data.tbbo.dbn.zst', 'AAPL  250221C00250000'],
  ['databento-python/OPRA.PILLAR/test_data.cbbo-1m.dbn.zst', 'AAPL  250221C00250000'],
  ['databento-python/GLBX.MDP3/test_data.bbo-1m.dbn.zst', 'ESH1'],
];

describe('DbnQuoteMapper on fixtures', () => {
  for (const [file, symbol] of BOOK_FILES) {
    it(`${file}: one quote per record, top of book from level 0, ts = ts_recv`, () => {
      const { mapper, records, want } = load(file);
      assert.ok(records.length > 0);
      records.forEach((record, i) => {
        const w = want[i] as { ts_recv: string; levels: Array<{ bid_px: string; ask_px: string }> };
        const q = mapper.map(record) as QuoteEvent;
        assert.equal(q.type, 'quote');
        assert.equal(q.symbol, symbol);
        assert.equal(q.ts, iso(w.ts_recv));
        assert.equal(q.bid, px(w.levels[0]?.bid_px));
        assert.equal(q.ask, px(w.levels[0]?.ask_px));
      });
    });
  }

  for (const file of [
    'test_data.trades.dbn',
    'databento-python/OPRA.PILLAR/test_data.trades.dbn.zst',
    'databento-python/EQUS.MINI/test_data.trades.dbn.zst',
  ]) {
    it(`${file}: trades set last, no bid/ask in a trades-only file`, () => {
      const { mapper, records, want } = load(file);
      records.forEach((record, i) => {
        const q = mapper.map(record) as QuoteEvent;
        assert.equal(q.last, px(want[i]?.price));
        assert.equal(q.ts, iso(want[i]?.ts_recv));
        assert.equal('bid' in q || 'ask' in q, false);
      });
    });
  }

  const BAR_MS: Array<[string, number]> = [
    ['test_data.ohlcv-1s.v3.dbn.zst', 1_000],
    ['test_data.ohlcv-1m.dbn', 60_000],
    ['test_data.ohlcv-1h.v1.dbn.zst', 3_600_000],
    ['databento-python/GLBX.MDP3/test_data.ohlcv-1d.dbn.zst', 86_400_000],
    ['databento-python/OPRA.PILLAR/test_data.ohlcv-1d.dbn.zst', 86_400_000],
  ];
  for (const [file, barMs] of BAR_MS) {
    it(`${file}: bars become quotes at the bar close with last = close`, () => {
      const { mapper, records, want } = load(file);
      assert.ok(records.length > 0);
      records.forEach((record, i) => {
        const w = want[i] as { hd: { ts_event: string }; close: string };
        const q = mapper.map(record) as QuoteEvent;
        assert.equal(q.last, px(w.close));
        assert.equal(Date.parse(q.ts), Date.parse(iso(w.hd.ts_event)) + barMs);
      });
    });
  }

  it('hand-checked values: ESH1 MBP-1 and trades of 2020-12-28', () => {
    const mbp = load('test_data.mbp-1.dbn');
    assert.deepEqual(mbp.mapper.map(mbp.records[0] as DbnJsonRecord), {
      ts: '2020-12-28T13:00:00.006Z',
      type: 'quote',
      symbol: 'ESH1',
      bid: '3720.25',
      ask: '3720.5',
    });
    const trades = load('test_data.trades.dbn');
    assert.deepEqual(trades.mapper.map(trades.records[0] as DbnJsonRecord), {
      ts: '2020-12-28T13:00:00.099Z',
      type: 'quote',
      symbol: 'ESH1',
      last: '3720.25',
    });
  });

  it('live-style file: symbols come from SymbolMappingMsg records, trades keep the latest bid/ask', () => {
    const { mapper, records } = load('databento-python/LIVE/test_data.live.dbn.zst');
    const quotes = records.map((r) => mapper.map(r));
    const byRtype = (rtype: number): Array<QuoteEvent | null> =>
      quotes.filter((_, i) => records[i]?.hd.rtype === rtype);
    assert.ok(
      byRtype(0x16).every((q) => q === null),
      'symbol mappings are not quotes',
    );
    assert.ok(
      byRtype(0xa0).every((q) => q === null),
      'MBO records are not quotes',
    );
    assert.ok(
      byRtype(0x18).every((q) => q === null),
      'statistics are not quotes',
    );
    const mbpTrade = quotes.findIndex((q, i) => q !== null && records[i]?.hd.rtype === 0x01);
    assert.deepEqual(quotes[mbpTrade], {
      ts: '2023-11-20T20:00:17.922Z',
      type: 'quote',
      symbol: 'ESZ4',
      bid: '4746',
      ask: '4756',
      last: '4756',
    });
    // The trade record that follows the MBP-1 trade carries the book it just saw.
    assert.deepEqual(quotes[mbpTrade + 1], quotes[mbpTrade]);
  });

  it('an instrument without any symbol mapping is ERR_INSTRUMENT_UNKNOWN', () => {
    const { mapper, records } = load('test_data.mbp-1.dbn');
    const stray = { ...(records[0] as DbnJsonRecord), hd: { ...(records[0] as DbnJsonRecord).hd, instrument_id: 999 } };
    assert.throws(
      () => mapper.map(stray),
      (err: unknown) => isAppError(err) && err.code === 'ERR_INSTRUMENT_UNKNOWN' && /999/.test(err.message),
    );
  });
});

describe('dbnPriceToDecimal', () => {
  it('converts 1e-9 fixed-point integers exactly, including negatives and sub-unit prices', () => {
    assert.equal(dbnPriceToDecimal('3720500000000'), '3720.5');
    assert.equal(dbnPriceToDecimal('-1500000000'), '-1.5');
    assert.equal(dbnPriceToDecimal('1'), '0.000000001');
    assert.equal(dbnPriceToDecimal('0'), '0');
    assert.equal(dbnPriceToDecimal('9223372036854775806'), '9223372036.854775806');
  });

  it('UNDEF_PRICE (i64 max) means absent', () => {
    assert.equal(dbnPriceToDecimal('9223372036854775807'), undefined);
  });
});
