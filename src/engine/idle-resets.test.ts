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

// Locks until the next reset (RULE-003), rejections while flat (RULE-001), position rules at
// resets (RULE-004), and with RULE-014 an equity-following state (never idle; its end-of-day
// high-water mark moves at resets, so quiet bands must not outlive them).
const RULES = `
    RULE-001: { limit: 2 }
    RULE-003: { limit: "40" }
    RULE-004: { limit: "60" }
`;
const CONFIGS = [
  RULES,
  `${RULES}    RULE-014: { limit: "100", mode: eod }\n`,
  `    RULE-004: { limit: "60" }\n    RULE-014: { limit: "80", mode: eod }\n`,
  `    RULE-001: { limit: 1 }\n`,
].map((rules) =>
  configSchema.parse(parse(`timezone: America/New_York\nresetTime: "17:00"\nrisk:\n  rules:\n${rules}`)),
);

type Step =
  | { kind: 'open'; qty: number }
  | { kind: 'close' }
  | { kind: 'order'; qty: number }
  | { kind: 'quote'; move: number }
  | { kind: 'wait'; hours: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('open' as const), qty: fc.integer({ min: 1, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('order' as const), qty: fc.integer({ min: 1, max: 4 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('quote' as const), move: fc.integer({ min: -40, max: 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), hours: fc.integer({ min: 1, max: 130 }) }) },
);

function eventsOf(steps: Step[]): Record<string, unknown>[] {
  let t = Date.parse('2026-03-06T14:00:00.000Z'); // crosses the DST change of 2026-03-08
  let ticks = 80_000;
  let held = 0;
  let n = 0;
  const px = () => (ticks * 0.25).toFixed(2);
  const out: Record<string, unknown>[] = [
    { ts: new Date(t).toISOString(), type: 'account', account: 'A', canTrade: true, balance: '50000' },
  ];
  for (const st of steps) {
    t += st.kind === 'wait' ? st.hours * 3_600_000 : 60_000;
    const ts = new Date(t).toISOString();
    const fill = (side: string, qty: number) => ({
      ts,
      type: 'fill',
      account: 'A',
      orderId: `o${++n}`,
      fillId: `f${n}`,
      symbol: 'MNQ',
      side,
      qty: String(qty),
      price: px(),
      fee: '0.5',
    });
    if (st.kind === 'open') {
      held += st.qty;
      out.push(fill('buy', st.qty));
    } else if (st.kind === 'close' && held > 0) {
      out.push(fill('sell', held));
      held = 0;
    } else if (st.kind === 'order')
      out.push({
        ts,
        type: 'order',
        account: 'A',
        orderId: `p${++n}`,
        symbol: 'MNQ',
        side: 'buy',
        qty: String(st.qty),
        orderType: 'market',
      });
    else if (st.kind === 'quote') {
      ticks += st.move;
      out.push({ ts, type: 'quote', symbol: 'MNQ', last: px() });
    } else if (st.kind === 'wait') out.push({ ts, type: 'clock' });
  }
  return out;
}

test('idle resets collapsed, quiet bands kept across resets: the same decisions, day labels and state as firing each reset and evaluating each quote', () => {
  let collapsed = 0;
  fc.assert(
    fc.property(
      fc.array(step, { minLength: 20, maxLength: 200 }),
      fc.nat(CONFIGS.length - 1),
      fc.constantFrom<EngineMode>('shadow', 'enforce'),
      fc.boolean(),
      (steps, c, mode, summaries) => {
        const fast = createEngine(CONFIGS[c]!, mode, { endOfDaySummaries: summaries });
        const each = createEngine(CONFIGS[c]!, mode, {
          endOfDaySummaries: summaries,
          idleResets: false,
          quietBands: false,
        });
        for (const raw of eventsOf(steps)) {
          const e = parseEvent(raw);
          const a = fast.process(e).map((d) => canonicalJson(decisionJson(d)));
          const b = each.process(e).map((d) => canonicalJson(decisionJson(d)));
          assert.deepEqual(a, b, `decisions of ${JSON.stringify(raw)}`);
          assert.equal(fast.dayLabel, each.dayLabel);
          assert.equal(fast.nextReset, each.nextReset);
        }
        assert.equal(stateHash(fast), stateHash(each));
        assert.equal(each.idleResetSteps, 0);
        collapsed += fast.idleResetSteps;
      },
    ),
    { numRuns: 200, endOnFailure: true },
  );
  assert.ok(collapsed > 50, `idle reset steps: ${collapsed}`);
});

test('a reset that raises the end-of-day high-water mark drops the quiet bands (RULE-014 eod)', () => {
  const config = configSchema.parse(
    parse(
      `timezone: America/New_York\nresetTime: "17:00"\nrisk:\n  rules:\n    RULE-014: { limit: "100", mode: eod }\n`,
    ),
  );
  // MNQ: 2 per point. Day 1 ends 200 up (the mark rises to 50200 at the reset); day 2 falls to
  // 50080: 120 below the new mark, 80 above the old one's limit.
  const events = [
    { ts: '2026-03-10T14:00:00.000Z', type: 'account', account: 'A', canTrade: true, balance: '50000' },
    {
      ts: '2026-03-10T14:01:00.000Z',
      type: 'fill',
      account: 'A',
      orderId: 'o1',
      fillId: 'f1',
      symbol: 'MNQ',
      side: 'buy',
      qty: '1',
      price: '20000',
      fee: '0',
    },
    { ts: '2026-03-10T15:00:00.000Z', type: 'quote', symbol: 'MNQ', last: '20100' },
    { ts: '2026-03-11T14:00:00.000Z', type: 'quote', symbol: 'MNQ', last: '20060' },
    { ts: '2026-03-11T14:01:00.000Z', type: 'quote', symbol: 'MNQ', last: '20040' },
  ];
  const fast = createEngine(config, 'enforce');
  const full = createEngine(config, 'enforce', { quietBands: false, idleResets: false });
  const breaches: string[] = [];
  for (const raw of events) {
    const e = parseEvent(raw);
    const a = fast.process(e).map((d) => canonicalJson(decisionJson(d)));
    assert.deepEqual(
      a,
      full.process(e).map((d) => canonicalJson(decisionJson(d))),
    );
    breaches.push(...a.filter((d) => d.includes('"RULE-014"')).map(() => raw.ts));
  }
  assert.deepEqual(breaches, ['2026-03-11T14:01:00.000Z']);
  assert.ok(fast.quietQuotes > 0);
});
