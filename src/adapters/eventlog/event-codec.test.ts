import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEvent, type EngineEvent } from '../../domain/events.ts';
import { EventDecoder, EventEncoder } from './event-codec.ts';
import type { NumberedEvent } from './numbered-event.ts';

/**
 * The worker's fast path (LineScanner → EventEncoder → EventDecoder) against the general one
 * (JSON.parse → parseEvent): a line the scanner takes must be an event parseEvent accepts, with
 * the same values and the same journal account; lines it leaves go the general way.
 */

// Mostly valid values (so that many lines are events), with every kind of wrong one mixed in.
const ts = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) })
      .map((t) => new Date(t).toISOString()),
  },
  fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }).map((t) => new Date(t).toISOString()),
  fc.constantFrom('2026-03-02T14:30:00Z', '2026-03-02T14:30:00.000+01:00', '2026-02-30T10:00:00.000Z', 'yesterday', ''),
  fc.constant(1772461800000),
);
const name = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom('A1', 'MNQ', 'ES', 'o-1', 'f 1', 'Z') },
  fc.string({ maxLength: 6 }),
  fc.constantFrom('é', 'a"b', 'a\\b', 'tab\there', '', 'x\u0001'),
);
const decimalText = fc.oneof(
  fc
    .tuple(fc.integer({ min: -99999, max: 99999 }), fc.nat({ max: 99 }))
    .map(([i, f]) => `${i}.${String(f).padStart(2, '0')}`),
  fc.integer({ min: -1000, max: 100000 }).map(String),
  fc.constantFrom(
    '0',
    '-0',
    '18000.250',
    '.5',
    '5.',
    '+1',
    '1e3',
    '123456789012345678',
    '0.000000000000000001',
    '1.2.3',
    '',
  ),
);
const decimal = fc.oneof(
  { weight: 8, arbitrary: decimalText },
  fc.constant(null),
  fc.constant(undefined),
  fc.integer({ min: -5, max: 5 }),
  fc.constant(2.5),
  fc.constant(true),
);
const qty = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 50 }) },
  fc.constantFrom(0, -2, 2.5, 1e3, Number.MAX_SAFE_INTEGER + 2, '2', '0.5', '-1', '0', 'two', null),
);
const extra = fc
  .dictionary(
    fc.constantFrom('note', 'venue', 'seq', 'x', 'canTrade', 'balance'),
    fc.oneof(
      fc.string({ maxLength: 4 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.constant([1, 2]),
      fc.constant({ a: 1 }),
    ),
    { maxKeys: 2 },
  )
  .chain((d) => fc.constantFrom(d, {}, {}));

const quote = fc.record(
  { ts, type: fc.constant('quote'), symbol: name, bid: decimal, ask: decimal, last: decimal },
  { requiredKeys: ['ts', 'type', 'symbol'] },
);
const order = fc.record(
  {
    ts,
    type: fc.constant('order'),
    account: name,
    orderId: name,
    symbol: name,
    side: fc.constantFrom('buy', 'sell', 'buy', 'sell', 'hold', 5),
    qty,
    orderType: fc.constantFrom('market', 'limit', 'stop', 'stop_limit', 'trailing_stop', 'limit', 'iceberg', null),
    price: decimal,
    stopPrice: decimal,
    reduceOnly: fc.constantFrom(true, false, true, false, null, 'yes'),
  },
  { requiredKeys: ['ts', 'type', 'account', 'orderId', 'symbol', 'side', 'qty'] },
);
const fill = fc.record(
  {
    ts,
    type: fc.constant('fill'),
    account: name,
    orderId: name,
    fillId: fc.oneof(name, fc.constant(null)),
    symbol: name,
    side: fc.constantFrom('buy', 'sell'),
    qty,
    price: decimal,
    fee: decimal,
  },
  { requiredKeys: ['ts', 'type', 'account', 'orderId', 'symbol', 'side', 'qty', 'price'] },
);
const status = fc.record(
  {
    ts,
    type: fc.constantFrom('order_status', 'order_status', 'order_statuses'),
    account: name,
    orderId: name,
    status: fc.constantFrom('working', 'filled', 'cancelled', 'rejected', 'gone'),
    symbol: name,
  },
  { requiredKeys: ['ts', 'type', 'account', 'orderId', 'status'] },
);
const other = fc.oneof(
  fc.record({ ts, type: fc.constant('account'), account: name, canTrade: fc.boolean(), balance: decimal }),
  fc.record({ ts, type: fc.constant('clock') }),
  fc.record({ ts, type: fc.constantFrom('instrument', 'news', 7) }),
);
const event = fc.oneof(
  { weight: 3, arbitrary: quote },
  { weight: 3, arbitrary: order },
  { weight: 3, arbitrary: fill },
  { weight: 2, arbitrary: status },
  other,
);

/** JSON text of an object with its keys in a given order, some whitespace, maybe a repeated key. */
const line = fc
  .tuple(
    event,
    extra,
    fc.array(fc.nat(), { maxLength: 12 }),
    fc.constantFrom('', ' ', '\t', '  '),
    fc.option(fc.nat(), { nil: undefined }),
    fc.boolean(),
  )
  .map(([e, more, order, space, repeat, rawControl]) => {
    const entries = Object.entries({ ...more, ...e }).filter(([, v]) => v !== undefined);
    for (let k = entries.length - 1; k > 0; k--) {
      const j = (order[k % Math.max(order.length, 1)] ?? 0) % (k + 1);
      [entries[k], entries[j]] = [entries[j]!, entries[k]!];
    }
    // A key written twice: JSON.parse keeps the last value, so the first may be anything.
    if (repeat !== undefined && entries.length) entries.unshift([entries[repeat % entries.length]![0], 'shadowed']);
    const body = entries.map(([k, v]) => `${JSON.stringify(k)}${space}:${space}${JSON.stringify(v)}`).join(`,${space}`);
    const text = `${space}{${space}${body}${space}}${space}`;
    // A raw tab inside a string is not JSON (it must be escaped).
    return rawControl ? text.replace('\\t', '\t') : text;
  });

function reference(text: string): { event: EngineEvent; account: string | undefined } | undefined {
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    return { event: parseEvent(raw), account: typeof raw.account === 'string' ? raw.account : undefined };
  } catch {
    return undefined;
  }
}

/** The lines as one chunk through the worker's path: which lines the scanner took, and the decoded events. */
function throughCodec(lines: string[]): { scanned: boolean[]; decoded: NumberedEvent[] } {
  const chunk = lines.join('\n');
  const bytes = Buffer.from(chunk, 'utf8');
  const encoder = new EventEncoder();
  encoder.begin(chunk);
  const scanned: boolean[] = [];
  let start = 0;
  let byteStart = 0;
  lines.forEach((text, k) => {
    const byteLength = Buffer.byteLength(text);
    const ascii = byteLength === text.length;
    const took =
      ascii &&
      encoder.scanner.scan(bytes, byteStart, byteStart + byteLength, chunk, start - byteStart) &&
      encoder.addScanned(k + 1, start, start + text.length);
    scanned.push(took);
    if (!took && reference(text)) encoder.addLine(k + 1, start, start + text.length);
    start += text.length + 1;
    byteStart += byteLength + 1;
  });
  return { scanned, decoded: new EventDecoder().decode(encoder.take()) };
}

describe('event codec: the worker fast path reads exactly what parseEvent reads', () => {
  it('a line the scanner takes is the event JSON.parse + parseEvent make of it, with the same journal account', () => {
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        const { scanned, decoded } = throughCodec(lines);
        let d = 0;
        lines.forEach((text, k) => {
          const ref = reference(text);
          if (scanned[k]) assert.ok(ref, `scanner took a line parseEvent rejects: ${text}`);
          if (!ref) return;
          const got = decoded[d++]!;
          assert.equal(got.line, k + 1);
          assert.equal(got.text, text);
          assert.deepEqual(got.event, ref.event, text);
          assert.deepEqual(
            Object.keys(got.event),
            Object.keys(ref.event),
            'same field order (one object shape per type)',
          );
          assert.equal(got.account, ref.account);
        });
        assert.equal(d, decoded.length);
      }),
      { numRuns: 3000 },
    );
  });

  it('the common lines, as writers emit them, take the fast path', () => {
    const lines = [
      '{"ts":"2026-03-02T14:30:00.000Z","type":"quote","symbol":"MNQ","last":"18000.25"}',
      '{"ts":"2026-03-02T14:30:00.000Z","type":"quote","symbol":"ES","bid":"5200.00","ask":"5200.25"}',
      '{"ts":"2026-03-02T14:30:01.000Z","type":"order","account":"A1","orderId":"o1","symbol":"MNQ","side":"buy","qty":2,"orderType":"limit","price":"18000","stopPrice":"17990.5"}',
      '{"ts":"2026-03-02T14:30:01.000Z","type":"fill","account":"A1","orderId":"o1","fillId":"f1","symbol":"MNQ","side":"buy","qty":2,"price":"18000.00","fee":"0.74"}',
      '{"ts":"2026-03-02T14:30:02.000Z","type":"order_status","account":"A1","orderId":"o1","status":"cancelled"}',
      '{"ts": "2026-03-02T14:30:03.000Z", "type": "fill", "account": "A2", "orderId": "o2", "symbol": "ES", "side": "sell", "qty": "1.5", "price": "5200.25"}',
    ];
    const { scanned, decoded } = throughCodec(lines);
    assert.deepEqual(
      scanned,
      lines.map(() => true),
    );
    assert.deepEqual(
      decoded.map((e) => e.event),
      lines.map((l) => parseEvent(JSON.parse(l))),
    );
  });

  it('other events, escapes, long decimals and non-canonical times go the general way, with the same result', () => {
    const lines = [
      '{"ts":"2026-03-02T14:30:00.000Z","type":"account","account":"A1","canTrade":true,"balance":"50000"}',
      '{"ts":"2026-03-02T14:30:00.000Z","type":"order_status","account":"A\\u0031","orderId":"o1","status":"filled"}',
      '{"ts":"2026-03-02T14:30:00.000Z","type":"quote","symbol":"MNQ","last":"18000.2500000000000001"}',
      '{"ts":"2026-03-02T14:30:00Z","type":"quote","symbol":"MNQ","last":"18000.25"}',
      '{"ts":"2026-03-02T14:30:00.000Z","type":"fill","account":"Ä","orderId":"o1","symbol":"MNQ","side":"buy","qty":1,"price":"1"}',
    ];
    const { scanned, decoded } = throughCodec(lines);
    assert.deepEqual(scanned, [false, false, false, false, false]);
    assert.deepEqual(
      decoded.map((e) => [e.event, e.account]),
      lines.map((l) => [parseEvent(JSON.parse(l)), JSON.parse(l).account]),
    );
  });
});
