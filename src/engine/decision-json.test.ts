import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { canonicalJson } from '../domain/canonical-json.ts';
import type { Outcome } from '../risk/rule.ts';
import { decisionJson, type Decision } from './decision.ts';
import { decisionBodyJson, decisionEntry, decisionLine } from './decision-json.ts';

// Strings with quotes, backslashes, controls, lone surrogates and non-ASCII (the "−" of reasons).
const text = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('A1', 'MNQ', 'RULE-003', 'day realized P&L -2040.5 < −2000', 'a"b\\c\n', '\ud800'),
);
const fixed = fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n });
const time = fc.integer({ min: 0, max: 4_102_444_800_000 });
const symbolShape = fc.oneof(
  text.map((symbol) => ({ symbol })),
  fc.constant({ symbol: undefined }),
  fc.constant({}),
);

const outcome: fc.Arbitrary<Outcome> = fc.oneof(
  fc.constantFrom<Outcome>({ kind: 'close_all' }, { kind: 'cancel_orders' }),
  fc
    .tuple(fc.constantFrom('cancel_orders', 'close_position'), symbolShape, fc.boolean())
    .map(([kind, s, symbolFirst]) => (symbolFirst ? { ...s, kind } : { kind, ...s }) as Outcome),
  fc.record({ kind: fc.constant('trim' as const), symbol: text, toQty: fixed }),
  fc.record({ kind: fc.constant('move_stop' as const), orderId: text, stopPrice: fixed }),
  fc.record({ kind: fc.constant('cooldown' as const), until: time }),
  fc.record({
    kind: fc.constant('lockout' as const),
    until: fc.oneof(time, fc.constantFrom<'admin' | 'canTrade'>('admin', 'canTrade')),
  }),
  fc.record({ kind: fc.constant('reject' as const), orderId: text, code: text }),
  fc.record({ kind: fc.constant('alert' as const), message: text }),
  // Shapes the fixed-order writers hand to the general ones: extra fields, a number for a string.
  fc.record({ kind: fc.constant('close_all' as const), note: text }) as fc.Arbitrary<Outcome>,
  fc.record({ kind: fc.constant('close_position' as const), symbol: fc.integer() }) as unknown as fc.Arbitrary<Outcome>,
);

const decision: fc.Arbitrary<Decision> = fc
  .record(
    {
      t: time,
      ts: fc.oneof(
        time.map((t) => new Date(t).toISOString()),
        text,
      ),
      account: text,
      kind: fc.constantFrom('breach', 'rejection', 'unlock', 'stop_move', 'admin', 'summary'),
      rule: fc.constantFrom('RULE-001', 'RULE-003', 'ADMIN', 'EOD'),
      action: fc.constantFrom('close_all', 'trim', 'reject', 'unlock', 'summary'),
      symbol: text,
      orderId: text,
      until: text,
      reason: text,
      outcomes: fc.array(outcome, { maxLength: 4 }),
    },
    { requiredKeys: ['t', 'ts', 'account', 'kind', 'rule', 'action', 'reason', 'outcomes'] },
  )
  .map((d) => d as Decision);

describe('decision texts written in fixed key order', () => {
  it('journal body: byte-identical to canonicalJson(decisionJson(d)) for any decision', () => {
    fc.assert(
      fc.property(decision, (d) => assert.equal(decisionBodyJson(d), canonicalJson(decisionJson(d)))),
      { numRuns: 3000 },
    );
  });

  it('--out line: byte-identical to JSON.stringify(decisionJson(d)) for any decision', () => {
    fc.assert(
      fc.property(decision, (d) => assert.equal(decisionLine(d), JSON.stringify(decisionJson(d)))),
      { numRuns: 3000 },
    );
  });

  it('knows every field decisionJson writes (a new field must be written there too)', () => {
    const d: Decision = {
      t: 0,
      ts: 'ts',
      account: 'A1',
      kind: 'rejection',
      rule: 'RULE-001',
      action: 'reject',
      symbol: 'ES',
      orderId: 'o1',
      until: 'admin',
      reason: 'r',
      outcomes: [],
    };
    const known = ['account', 'action', 'kind', 'orderId', 'outcomes', 'reason', 'rule', 'symbol', 'ts', 'until'];
    assert.deepEqual(Object.keys(decisionJson(d)).sort(), known);
    assert.deepEqual(Object.keys(JSON.parse(decisionBodyJson(d)) as object), known);
  });

  it('writes a locked account’s repeated breach with sorted keys', () => {
    const d: Decision = {
      t: Date.parse('2026-01-05T00:16:04.584Z'),
      ts: '2026-01-05T00:16:04.584Z',
      account: 'A1',
      kind: 'breach',
      rule: 'RULE-003',
      action: 'close_all',
      until: '2026-01-05T23:00:00.000Z',
      reason: 'day realized P&L -2040.5 < −2000',
      outcomes: [
        { kind: 'cancel_orders' },
        { kind: 'close_all' },
        { kind: 'lockout', until: Date.parse('2026-01-05T23:00:00.000Z') },
      ],
    };
    assert.equal(
      decisionBodyJson(d),
      '{"account":"A1","action":"close_all","kind":"breach","outcomes":[{"kind":"cancel_orders"},{"kind":"close_all"},{"kind":"lockout","until":"2026-01-05T23:00:00.000Z"}],"reason":"day realized P&L -2040.5 < −2000","rule":"RULE-003","ts":"2026-01-05T00:16:04.584Z","until":"2026-01-05T23:00:00.000Z"}',
    );
  });

  it('journal record: the body text at hand, the body object on demand', () => {
    const d: Decision = {
      t: 0,
      ts: '1970-01-01T00:00:00.000Z',
      account: 'A1',
      kind: 'rejection',
      rule: 'RULE-001',
      action: 'reject',
      symbol: 'ES',
      orderId: 'o1',
      reason: 'too many',
      outcomes: [{ kind: 'reject', orderId: 'o1', code: 'MAX' }],
    };
    const entry = decisionEntry(d);
    assert.deepEqual(
      { ts: entry.ts, kind: entry.kind, account: entry.account },
      { ts: d.ts, kind: 'decision', account: 'A1' },
    );
    assert.equal(entry.bodyJson, canonicalJson(decisionJson(d)));
    assert.deepEqual(entry.body, decisionJson(d));
  });
});
