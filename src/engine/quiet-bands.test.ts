import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { parseEvent } from '../domain/events.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { createEngine } from './factory.ts';
import { stateHash } from './snapshot.ts';
import { decisionJson } from './decision.ts';
import type { EngineMode } from './risk-engine.ts';
import { marksWithin } from './quiet-bands.ts';
import { applyFill, newPosition, unrealizedPnl } from '../domain/position.ts';
import { instrumentFromSpec } from '../domain/instrument.ts';
import { fromInt, ZERO } from '../domain/money.ts';

// Tight limits, so that quotes keep crossing band edges: every quote rule (RULE-004/005/012/014)
// plus rules with timers and locks around them. ODD is valued with a division (point value 1.2,
// fractional quantities), MNQ and CL without.
const RULES = `
    RULE-001: { limit: 12 }
    RULE-004: { limit: "60" }
    RULE-005: { target: "90" }
    RULE-006: { perMinute: 6 }
    RULE-008: { grace: "20s" }
    RULE-012: { breakevenAfterTicks: 3, trailAfterTicks: 6, trailByTicks: 2 }
`;
const CONFIGS = [
  `${RULES}    RULE-014: { limit: "120", mode: intraday }\n`,
  `${RULES}    RULE-014: { limit: "90", mode: eod }\n`,
  RULES,
  `    RULE-012: { breakevenAfterTicks: 4 }\n    RULE-014: { limit: "50" }\n`,
].map((rules) =>
  configSchema.parse(
    parse(`
timezone: America/Chicago
instruments: [ { symbol: ODD, tickSize: "0.25", tickValue: "0.30" } ]
risk:
  rules:
${rules}`),
  ),
);

const SYMBOLS = [
  { symbol: 'MNQ', tick: 0.25, start: 72000, decimals: 2 },
  { symbol: 'CL', tick: 0.01, start: 7000, decimals: 2 },
  { symbol: 'ODD', tick: 0.25, start: 400, decimals: 2 },
];
const ACCOUNTS = ['A', 'B'];

type Step =
  | { kind: 'quote'; s: number; move: number; mid: boolean }
  | { kind: 'fill'; a: number; s: number; buy: boolean; qty: number }
  | { kind: 'stop'; a: number; s: number; protective: boolean; offset: number }
  | { kind: 'cancel'; a: number; n: number }
  | { kind: 'balance'; a: number; amount: number }
  | { kind: 'wait'; ms: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('quote' as const),
      s: fc.nat(2),
      move: fc.integer({ min: -6, max: 6 }),
      mid: fc.boolean(),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('fill' as const),
      a: fc.nat(1),
      s: fc.nat(2),
      buy: fc.boolean(),
      qty: fc.integer({ min: 1, max: 6 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('stop' as const),
      a: fc.nat(1),
      s: fc.nat(2),
      protective: fc.boolean(),
      offset: fc.integer({ min: 1, max: 12 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), a: fc.nat(1), n: fc.nat(20) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('balance' as const),
      a: fc.nat(1),
      amount: fc.integer({ min: 49_800, max: 50_200 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.oneof(fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: 3_600_000, max: 30 * 3_600_000 })),
    }),
  },
);

/** Turns steps into DESIGN §4 event objects (prices as ticks from a start, on the grid or a mid). */
function eventsOf(steps: Step[]): Record<string, unknown>[] {
  const ticks = SYMBOLS.map((s) => s.start);
  const price = (s: number, t: number) => (t * SYMBOLS[s]!.tick).toFixed(SYMBOLS[s]!.decimals);
  const stops: { a: string; id: string }[] = [];
  const held = new Map<string, number>(); // account|symbol → qty, to place stops on the protective side
  let t = Date.parse('2026-03-06T14:00:00.000Z');
  let n = 0;
  const out: Record<string, unknown>[] = ACCOUNTS.map((account) => ({
    ts: new Date(t).toISOString(),
    type: 'account',
    account,
    canTrade: true,
    balance: '50000',
  }));
  for (const st of steps) {
    t += st.kind === 'wait' ? st.ms : 250;
    const ts = new Date(t).toISOString();
    switch (st.kind) {
      case 'quote': {
        ticks[st.s]! += st.move;
        const sym = SYMBOLS[st.s]!.symbol;
        out.push(
          st.mid
            ? { ts, type: 'quote', symbol: sym, bid: price(st.s, ticks[st.s]!), ask: price(st.s, ticks[st.s]! + 1) }
            : { ts, type: 'quote', symbol: sym, last: price(st.s, ticks[st.s]!) },
        );
        break;
      }
      case 'fill': {
        const sym = SYMBOLS[st.s]!.symbol;
        const qty = sym === 'ODD' ? (st.qty / 2).toString() : String(st.qty);
        const key = `${st.a}|${st.s}`;
        held.set(key, (held.get(key) ?? 0) + (st.buy ? st.qty : -st.qty));
        out.push({
          ts,
          type: 'fill',
          account: ACCOUNTS[st.a],
          orderId: `f${++n}`,
          fillId: `x${n}`,
          symbol: sym,
          side: st.buy ? 'buy' : 'sell',
          qty,
          price: price(st.s, ticks[st.s]!),
          fee: '0.5',
        });
        break;
      }
      case 'stop': {
        const id = `s${++n}`;
        stops.push({ a: ACCOUNTS[st.a]!, id });
        const long = (held.get(`${st.a}|${st.s}`) ?? 0) > 0;
        const buy = st.protective ? !long : long; // a sell stop protects a long
        const stopTicks = ticks[st.s]! + (buy ? st.offset : -st.offset);
        out.push({
          ts,
          type: 'order',
          account: ACCOUNTS[st.a],
          orderId: id,
          symbol: SYMBOLS[st.s]!.symbol,
          side: buy ? 'buy' : 'sell',
          qty: '1',
          orderType: 'stop',
          stopPrice: price(st.s, stopTicks),
          reduceOnly: true,
        });
        break;
      }
      case 'cancel': {
        const o = stops[st.n % Math.max(1, stops.length)];
        if (o) out.push({ ts, type: 'order_status', account: o.a, orderId: o.id, status: 'cancelled' });
        break;
      }
      case 'balance':
        out.push({ ts, type: 'account', account: ACCOUNTS[st.a], balance: String(st.amount) });
        break;
      case 'wait':
        out.push({ ts, type: 'clock' });
        break;
    }
  }
  return out;
}

test('quiet bands: the same decisions and state as evaluating every quote', () => {
  let skipped = 0;
  let evaluated = 0;
  fc.assert(
    fc.property(
      fc.array(step, { minLength: 100, maxLength: 600, size: 'max' }),
      fc.nat(CONFIGS.length - 1),
      fc.constantFrom<EngineMode>('shadow', 'enforce'),
      (steps, c, mode) => {
        const fast = createEngine(CONFIGS[c]!, mode);
        const full = createEngine(CONFIGS[c]!, mode, { quietBands: false });
        for (const raw of eventsOf(steps)) {
          const e = parseEvent(raw);
          const a = fast.process(e).map((d) => canonicalJson(decisionJson(d)));
          const b = full.process(e).map((d) => canonicalJson(decisionJson(d)));
          assert.deepEqual(a, b, `decisions of ${JSON.stringify(raw)}`);
        }
        assert.equal(stateHash(fast), stateHash(full));
        assert.equal(full.quietQuotes, 0);
        skipped += fast.quietQuotes;
        evaluated += full.eventsProcessed;
      },
    ),
    // No shrinking of a 600-step counterexample (slow); the seed and path printed reproduce it.
    { numRuns: 150, endOnFailure: true },
  );
  // The property must exercise the fast path, not only the evaluations around it.
  assert.ok(skipped > evaluated / 20, `quotes skipped: ${skipped} of ${evaluated} events`);
});

test('marksWithin: exactly the marks whose unrealized P&L is within the bounds (at and beside every edge)', () => {
  const instruments = [
    instrumentFromSpec({ symbol: 'MNQ', tickSize: '0.25', tickValue: '0.50' }),
    instrumentFromSpec({ symbol: 'CL', tickSize: '0.01', tickValue: '10' }),
    instrumentFromSpec({ symbol: 'YM', tickSize: '1', tickValue: '5' }),
  ];
  const fill = fc.record({
    buy: fc.boolean(),
    qty: fc.integer({ min: 1, max: 9 }),
    price: fc.integer({ min: 1, max: 4_000_000 }),
  });
  fc.assert(
    fc.property(
      fc.nat(instruments.length - 1),
      fc.array(fill, { minLength: 1, maxLength: 6 }),
      fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }),
      fc.bigInt({ min: 0n, max: 10n ** 24n }),
      fc.boolean(),
      fc.boolean(),
      (i, fills, lo, width, hasLo, hasHi) => {
        const pos = newPosition(instruments[i]!.symbol, instruments[i]!);
        for (const f of fills) applyFill(pos, f.buy ? 'buy' : 'sell', fromInt(f.qty), fromInt(f.price) / 100n, 0);
        fc.pre(pos.qty !== ZERO);
        const bounds = { lo: hasLo ? lo : undefined, hi: hasHi ? lo + width : undefined };
        const band = marksWithin(pos, bounds.lo, bounds.hi)!;
        assert.ok(band, 'whole quantities and point values are valued without division');
        const within = (u: bigint) =>
          (bounds.lo === undefined || u >= bounds.lo) && (bounds.hi === undefined || u <= bounds.hi);
        const inBand = (m: bigint) =>
          (band.markLo === undefined || m >= band.markLo) && (band.markHi === undefined || m <= band.markHi);
        for (const edge of [band.markLo, band.markHi]) {
          if (edge === undefined) continue;
          for (const m of [edge - 1n, edge, edge + 1n])
            assert.equal(inBand(m), within(unrealizedPnl(pos, m)), `mark ${m}`);
        }
      },
    ),
    { numRuns: 500 },
  );
  const odd = newPosition('ODD', instrumentFromSpec({ symbol: 'ODD', tickSize: '0.25', tickValue: '0.30' }));
  applyFill(odd, 'buy', fromInt(1), fromInt(100), 0);
  assert.equal(marksWithin(odd, ZERO, undefined), undefined, 'valued with a division: no mark bounds');
});

test('quiet bands: after a fill, the kept bands of the other positions keep their share of the equity room', () => {
  // RULE-014 alone: 100 of drawdown room, shared by MNQ and CL (50 each); then an ES fill leaves
  // their bands stale. ES's band gets what they leave: nothing. MNQ and CL then use their shares
  // (equity 49,900: no breach yet), and the first ES tick down is a breach, which only an
  // evaluation finds.
  const cfg = configSchema.parse(parse('risk:\n  rules:\n    RULE-014: { limit: "100", mode: intraday }\n'));
  const ts = (s: number) => new Date(Date.parse('2026-03-06T15:00:00.000Z') + s * 1000).toISOString();
  const fill = (s: number, id: string, symbol: string, price: string) => ({
    ts: ts(s),
    type: 'fill',
    account: 'A',
    orderId: id,
    fillId: id,
    symbol,
    side: 'buy',
    qty: 1,
    price,
    fee: '0',
  });
  const quote = (s: number, symbol: string, last: string) => ({ ts: ts(s), type: 'quote', symbol, last });
  const events = [
    { ts: ts(0), type: 'account', account: 'A', canTrade: true, balance: '50000' },
    quote(1, 'MNQ', '20000.00'),
    quote(1, 'CL', '70.00'),
    quote(1, 'ES', '5000.00'),
    fill(2, 'o1', 'MNQ', '20000.00'),
    fill(2, 'o2', 'CL', '70.00'),
    quote(3, 'MNQ', '20000.00'), // bands: MNQ and CL may each lose 50
    fill(4, 'o3', 'ES', '5000.00'), // MNQ and CL stale
    quote(5, 'ES', '5000.00'), // ES may lose nothing: MNQ and CL keep their 50 each
    quote(6, 'MNQ', '19975.00'), // −50, inside its band
    quote(7, 'CL', '69.95'), // −50, inside its band: equity 49,900, drawdown 100 (not beyond)
    quote(8, 'ES', '4999.75'), // −12.50: drawdown 112.50 > 100
  ];
  const fast = createEngine(cfg, 'shadow');
  const full = createEngine(cfg, 'shadow', { quietBands: false });
  const decided: string[] = [];
  for (const raw of events) {
    const e = parseEvent(raw);
    const a = fast.process(e).map((d) => canonicalJson(decisionJson(d)));
    assert.deepEqual(
      a,
      full.process(e).map((d) => canonicalJson(decisionJson(d))),
      `decisions of ${JSON.stringify(raw)}`,
    );
    decided.push(...a);
  }
  assert.equal(decided.length, 1);
  assert.match(decided[0]!, /"rule":"RULE-014"/);
  assert.match(decided[0]!, /"ts":"2026-03-06T15:00:08.000Z"/);
  assert.equal(fast.quietQuotes, 4, 'the quotes at 3, 5, 6 and 7 s are skipped');
});
