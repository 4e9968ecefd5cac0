import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { OffThreadChain } from '../store/chain-thread.ts';
import { MemoryChain } from '../store/memory-chain.ts';
import { isoOf } from '../domain/events.ts';
import type { Outcome } from '../risk/rule.ts';
import { decisionJson, type Decision } from './decision.ts';
import { decisionBodyJson } from './decision-json.ts';
import { decisionTemplate, journalDecision } from './decision-template.ts';
import type { JournalSink } from './journal-port.ts';

const T0 = Date.parse('2026-01-05T14:00:00.000Z');
const RESET = Date.parse('2026-01-05T23:00:00.000Z');

function lockedBreach(t: number, account: string, loss: string, until = RESET): Decision {
  return {
    t,
    ts: isoOf(t),
    account,
    kind: 'breach',
    rule: 'RULE-003',
    action: 'close_all',
    until: isoOf(until),
    reason: `day realized P&L -${loss} < −2000`,
    outcomes: [{ kind: 'cancel_orders' }, { kind: 'close_all' }, { kind: 'lockout', until }],
  };
}

// Shapes a replay journals: repeated breaches of locked accounts, trims, rejections, summaries,
// and shapes the fixed-order writer leaves to the general one.
const shapes: ((t: number, account: string, text: string) => Decision)[] = [
  (t, account, text) => lockedBreach(t, account, text),
  (t, account, text) => ({
    t,
    ts: isoOf(t),
    account,
    kind: 'breach',
    rule: 'RULE-001',
    action: 'trim',
    symbol: 'ES',
    reason: text,
    outcomes: [{ kind: 'trim', symbol: 'ES', toQty: BigInt(text.length % 3) * 10n ** 18n }],
  }),
  (t, account, text) => ({
    t,
    ts: isoOf(t),
    account,
    kind: 'rejection',
    rule: 'RULE-001',
    action: 'reject',
    symbol: 'ES',
    orderId: `o${t}`,
    reason: text,
    outcomes: [{ kind: 'reject', orderId: `o${t}`, code: 'MAX' }],
  }),
  (t, account, text) => ({
    t,
    ts: isoOf(t),
    account,
    kind: 'summary',
    rule: 'EOD',
    action: 'summary',
    reason: text,
    outcomes: [],
  }),
  (t, account, text) => ({
    t,
    ts: isoOf(t),
    account,
    kind: 'breach',
    rule: 'RULE-011',
    action: 'close_position',
    symbol: text,
    reason: text,
    outcomes: [{ symbol: text, kind: 'close_position' }],
  }),
  // A ts that is not isoOf(t) (travels with the record), and an outcome of an unknown shape.
  (t, account, text) => ({ ...lockedBreach(t, account, text), ts: '2026-01-05T14:00:00Z' }),
  (t, account, text) => ({
    ...lockedBreach(t, account, text),
    outcomes: [{ kind: 'close_all', note: text } as Outcome],
  }),
];

const chains = { mem: new MemoryChain(), off: new OffThreadChain() };
after(() => chains.off.close());

/** Journals through the fast paths (off) and the general one (mem: body object, canonicalJson). */
function journalBoth(d: Decision): void {
  journalDecision(chains.off as JournalSink, d);
  chains.mem.append({ ts: d.ts, kind: 'decision', account: d.account, body: decisionJson(d) });
}

describe('decisions by template', () => {
  it('a template and its reason and ts give the body the general writer gives', () => {
    const d = lockedBreach(T0, 'A1', '2040.5');
    const tpl = decisionTemplate(d)!;
    assert.equal(
      tpl.head + JSON.stringify(d.reason) + tpl.middle + JSON.stringify(d.ts) + tpl.tail,
      decisionBodyJson(d),
    );
    const again = lockedBreach(T0 + 1, 'A1', '2100');
    assert.equal(decisionTemplate(again), tpl, 'the next breach of the locked account reuses it');
    assert.notEqual(decisionTemplate(lockedBreach(T0 + 2, 'A2', '2100')), undefined);
    assert.notEqual(
      decisionTemplate(lockedBreach(T0 + 3, 'A1', '2100', RESET + 86_400_000)),
      tpl,
      'another lock end, another template',
    );
  });

  it('the off-thread chain by template hashes the same records as the general path, among other records', async () => {
    const step = fc.tuple(
      fc.nat({ max: shapes.length - 1 }),
      fc.constantFrom('A1', 'A2', 'é"\\'),
      fc.oneof(fc.constantFrom('2040.5', '2100'), fc.string()),
      fc.boolean(),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
        let t = T0;
        for (const [shape, account, text, withEvent] of steps) {
          t += text.length % 2;
          if (withEvent) {
            const entry = {
              ts: isoOf(t),
              kind: 'event',
              account,
              body: null,
              bodyJson: JSON.stringify({ type: 'fill', text }),
            };
            chains.off.append(entry);
            chains.mem.append(entry);
          }
          journalBoth(shapes[shape]!(t, account, text));
        }
        assert.deepEqual(await chains.off.flush(), chains.mem.head());
      }),
      { numRuns: 200 },
    );
  });

  it('more templates than the worker holds: it forgets them and is sent them again', async () => {
    for (let i = 0; i < 9000; i++) journalBoth(lockedBreach(T0 + i, `A${i % 3}`, String(i), RESET + (i % 4500) * 1000));
    assert.deepEqual(await chains.off.flush(), chains.mem.head());
  });
});
