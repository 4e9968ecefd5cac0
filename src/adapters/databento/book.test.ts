/**
 * MBO order book: hand-built scenarios for every action and flag, and cross-checks against the
 * real fixtures where their data allows.
 *
 * Why not replay an MBO fixture and compare with the MBP-1/MBP-10 fixtures record by record:
 * the fixtures are 2-4 record excerpts (`limit` 2 or 4). test_data.mbo.dbn holds two cancels of
 * orders placed before the excerpt, and databento-python's GLBX mbo holds the first 4 adds of a
 * snapshot (2020-12-27 20:00 UTC) while its MBP-10 starts 2020-12-28 00:00 — neither has the book
 * state needed to reproduce MBP levels. What the data does allow: (1) test_data.mbo.dbn record 0
 * and test_data.mbp-10.dbn record 0 are the same event (same ts_event and sequence 1170352), so the
 * book just before that event can be built from the MBP-10 levels plus the cancelled order, and
 * applying the real MBO record must give exactly the MBP-10 levels; (2) the snapshot adds build
 * the bid levels they describe.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAppError } from '../../errors.ts';
import { MarketBooks, OrderBook, mboUpdateOf, type MboUpdate, type PriceLevel } from './book.ts';
import { decodeDbn } from './decoder.ts';
import type { MboRecord } from './schemas.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/dbn');
const LAST = 0x80;
const TOB = 0x40;

let nextTs = 1n;
function u(
  action: MboUpdate['action'],
  side: MboUpdate['side'],
  orderId: number,
  price: number,
  size: number,
  flags = LAST,
): MboUpdate {
  return { action, side, orderId: BigInt(orderId), price: BigInt(price), size, flags, tsEvent: String(nextTs++) };
}
const lv = (price: number, size: number, count: number): PriceLevel => ({ price: BigInt(price), size, count });
const ids = (book: OrderBook, side: 'A' | 'B', price: number): bigint[] =>
  book.ordersAt(side, BigInt(price)).map((o) => o.orderId);

describe('OrderBook from MBO actions', () => {
  it('adds build aggregated levels, best bid = highest bid, best ask = lowest ask', () => {
    const book = new OrderBook();
    book.apply(u('A', 'B', 1, 100, 5));
    book.apply(u('A', 'B', 2, 100, 3));
    book.apply(u('A', 'B', 3, 99, 7));
    book.apply(u('A', 'A', 4, 102, 1));
    book.apply(u('A', 'A', 5, 101, 2));
    assert.deepEqual(book.bestBid(), lv(100, 8, 2));
    assert.deepEqual(book.bestAsk(), lv(101, 2, 1));
    assert.deepEqual(book.depth('B', 10), [lv(100, 8, 2), lv(99, 7, 1)]);
    assert.deepEqual(book.depth('A', 1), [lv(101, 2, 1)]);
    assert.deepEqual(ids(book, 'B', 100), [1n, 2n]);
  });

  it('cancel reduces an order partially and removes it (and an empty level) at zero', () => {
    const book = new OrderBook();
    book.apply(u('A', 'B', 1, 100, 5));
    book.apply(u('A', 'B', 2, 99, 1));
    book.apply(u('C', 'B', 1, 100, 2));
    assert.deepEqual(book.bestBid(), lv(100, 3, 1));
    book.apply(u('C', 'B', 1, 100, 3));
    assert.equal(book.order(1n), undefined);
    assert.deepEqual(book.bestBid(), lv(99, 1, 1));
  });

  it('modify: size down keeps priority, size up and price change lose it', () => {
    const book = new OrderBook();
    book.apply(u('A', 'A', 1, 200, 5));
    book.apply(u('A', 'A', 2, 200, 5));
    book.apply(u('A', 'A', 3, 200, 5));
    book.apply(u('M', 'A', 1, 200, 4)); // smaller: stays first
    assert.deepEqual(ids(book, 'A', 200), [1n, 2n, 3n]);
    book.apply(u('M', 'A', 2, 200, 9)); // bigger: to the back
    assert.deepEqual(ids(book, 'A', 200), [1n, 3n, 2n]);
    assert.deepEqual(book.bestAsk(), lv(200, 18, 3));
    book.apply(u('M', 'A', 1, 199, 4)); // new price: new level
    assert.deepEqual(book.depth('A', 5), [lv(199, 4, 1), lv(200, 14, 2)]);
  });

  it('modify of an unknown order is an add', () => {
    const book = new OrderBook();
    book.apply(u('M', 'B', 7, 50, 2));
    assert.deepEqual(book.bestBid(), lv(50, 2, 1));
  });

  it('trades, fills and none leave the book unchanged; clear empties it', () => {
    const book = new OrderBook();
    book.apply(u('A', 'B', 1, 100, 5));
    book.apply(u('A', 'A', 2, 101, 5));
    book.apply(u('T', 'A', 0, 101, 2));
    book.apply(u('F', 'A', 2, 101, 2));
    book.apply(u('N', 'N', 0, 0, 0));
    assert.deepEqual([book.bestBid(), book.bestAsk()], [lv(100, 5, 1), lv(101, 5, 1)]);
    book.apply(u('R', 'N', 0, 0, 0));
    assert.deepEqual([book.bestBid(), book.bestAsk()], [undefined, undefined]);
    assert.equal(book.order(1n), undefined);
  });

  it('F_TOB records replace their whole side with one level; UNDEF_PRICE empties it', () => {
    const book = new OrderBook();
    book.apply(u('A', 'B', 1, 100, 5));
    book.apply(u('A', 'B', 2, 99, 5));
    book.apply(u('A', 'B', 0, 101, 12, LAST | TOB));
    assert.deepEqual(book.depth('B', 10), [lv(101, 12, 1)]);
    book.apply({ ...u('A', 'B', 0, 0, 0, LAST | TOB), price: 9223372036854775807n });
    assert.deepEqual(book.depth('B', 10), []);
  });

  it('apply reports event boundaries: only a record with F_LAST completes an event', () => {
    const book = new OrderBook();
    assert.equal(book.apply(u('A', 'B', 1, 100, 1, 0)), false);
    assert.equal(book.apply(u('A', 'A', 2, 99, 1, 0)), false); // crossed mid-event
    assert.equal(book.apply(u('C', 'A', 2, 99, 1, LAST)), true);
    assert.deepEqual(book.bestAsk(), undefined);
  });

  it('contradicting updates are skipped and counted, or thrown in strict mode', () => {
    const lenient = new OrderBook();
    lenient.apply(u('C', 'B', 42, 100, 1));
    lenient.apply(u('A', 'B', 1, 100, 1));
    lenient.apply(u('C', 'B', 1, 100, 5));
    assert.equal(lenient.skipped, 2);
    assert.deepEqual(lenient.bestBid(), lv(100, 1, 1));
    const strict = new OrderBook({ strict: true });
    assert.throws(
      () => strict.apply(u('C', 'B', 42, 100, 1)),
      (err: unknown) => isAppError(err) && /order 42/.test(err.message),
    );
  });
});

describe('OrderBook against the fixtures', () => {
  const mbo = decodeDbn(readFileSync(path.join(DATA, 'test_data.mbo.dbn'))).records as MboRecord[];
  const mbp10 = decodeDbn(readFileSync(path.join(DATA, 'test_data.mbp-10.dbn'))).records;

  it('MBO record 0 applied to the book before the event gives MBP-10 record 0 levels', () => {
    const event = mbo[0] as MboRecord;
    const after = mbp10[0] as unknown as {
      hd: { ts_event: string };
      sequence: number;
      levels: Array<Record<string, string | number>>;
    };
    assert.equal(event.hd.ts_event, after.hd.ts_event);
    assert.equal(event.sequence, after.sequence);
    // Book before the event: the MBP-10 levels as synthetic orders (count orders per level),
    // plus the order the MBO record cancels.
    const book = new OrderBook({ strict: true });
    let synthetic = 1_000_000;
    for (const level of after.levels) {
      for (const side of ['bid', 'ask'] as const) {
        const count = Number(level[`${side}_ct`]);
        const size = Number(level[`${side}_sz`]);
        for (let i = 0; i < count; i++) {
          book.apply(
            u(
              'A',
              side === 'bid' ? 'B' : 'A',
              synthetic++,
              Number(level[`${side}_px`]),
              i === 0 ? size - (count - 1) : 1,
            ),
          );
        }
      }
    }
    book.apply({ ...mboUpdateOf(event), action: 'A', flags: LAST });
    const deeper = book.depth('A', 10);
    assert.deepEqual(
      deeper[9],
      lv(Number(event.price), Number(after.levels[9]?.ask_sz) + 1, Number(after.levels[9]?.ask_ct) + 1),
    );
    assert.equal(book.apply(mboUpdateOf(event)), true);
    const asL2 = (side: 'B' | 'A'): Array<[string, number, number]> =>
      book.depth(side, 10).map((l) => [l.price.toString(), l.size, l.count]);
    assert.deepEqual(
      asL2('B'),
      after.levels.map((l) => [String(l.bid_px), Number(l.bid_sz), Number(l.bid_ct)]),
    );
    assert.deepEqual(
      asL2('A'),
      after.levels.map((l) => [String(l.ask_px), Number(l.ask_sz), Number(l.ask_ct)]),
    );
  });

  it('snapshot adds of GLBX ESH1 build the bid levels they carry; no F_LAST yet, event incomplete', () => {
    const records = decodeDbn(readFileSync(path.join(DATA, 'databento-python/GLBX.MDP3/test_data.mbo.dbn.zst')))
      .records as MboRecord[];
    const books = new MarketBooks({ strict: true });
    const verdicts = records.map((r) => books.apply(r).eventComplete);
    assert.deepEqual(verdicts, [false, false, false, false]);
    const book = books.book(5482, 1) as OrderBook;
    assert.deepEqual(
      book.depth('B', 10).map((l) => [l.price.toString(), l.size, l.count]),
      records.map((r) => [r.price, r.size, 1]),
    );
    assert.equal(book.bestAsk(), undefined);
  });
});
