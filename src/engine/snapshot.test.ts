import { test } from 'node:test';
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { parseEvent } from '../domain/events.ts';
import { generateEvents } from '../../test/fixtures/generate-events.ts';
import { createEngine } from './factory.ts';
import { buildReport } from './report.ts';
import { restoreEngine, snapshotEngine, stateHash } from './snapshot.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { formatFixed } from '../domain/money.ts';
import { activityOf } from '../risk/activity.ts';
import { watermarkOf } from '../risk/watermark.ts';

const CONFIG = configSchema.parse(
  parse(`
risk:
  rules:
    RULE-001: { limit: 5 }
    RULE-003: { limit: "300" }
    RULE-004: { limit: "200" }
    RULE-006: { perMinute: 2, perHour: 20, cooldowns: { minute: "60s", hour: "30m" } }
    RULE-007: { tiers: [ { loss: "50", cooldown: "5m" } ] }
    RULE-008: { grace: "30s" }
    RULE-013: { target: "400" }
    RULE-014: { limit: "1500", mode: intraday }
`),
);

const events = [
  ...generateEvents({
    seed: 3,
    start: '2026-03-05T14:00:00.000Z',
    end: '2026-03-10T14:00:00.000Z',
    accounts: ['A', 'B'],
    symbols: [
      { symbol: 'MNQ', price: 18000, tick: 0.25 },
      { symbol: 'ES', price: 5200, tick: 0.25 },
    ],
    stepMs: 120_000,
    withOrders: true,
    maxPosition: 4,
  }),
].map((raw) => parseEvent(raw));

test('snapshot → restore → continue equals an engine that never stopped (any cut point)', () => {
  const straight = createEngine(CONFIG);
  for (const e of events) straight.process(e);
  const expected = stateHash(straight);
  const expectedReport = JSON.stringify(buildReport(straight, events.length, ''));
  assert.ok(events.length > 1000);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: events.length }), (cut) => {
      const first = createEngine(CONFIG);
      for (const e of events.slice(0, cut)) first.process(e);
      // Through canonical JSON text (keys sorted), as the journal's snapshot store keeps it.
      const snap = JSON.parse(canonicalJson(snapshotEngine(first)));
      const second = createEngine(CONFIG);
      restoreEngine(second, snap);
      assert.equal(stateHash(second), stateHash(first), 'restored state equals the snapshotted one');
      for (const e of events.slice(cut)) second.process(e);
      assert.equal(stateHash(second), expected);
      assert.equal(JSON.stringify(buildReport(second, events.length, '')), expectedReport);
    }),
    { numRuns: 15 },
  );
});

test('restore refuses a used engine or an unknown version', () => {
  const e = createEngine(CONFIG);
  e.process(events[1]!);
  assert.throws(() => restoreEngine(e, snapshotEngine(e)), /fresh engine/);
  assert.throws(() => restoreEngine(createEngine(CONFIG), { ...snapshotEngine(e), version: 99 }), /version/);
});

test('a restored engine counts the filled orders of before the snapshot (RULE-006)', () => {
  const config = configSchema.parse(parse('risk:\n  rules:\n    RULE-006: { perHour: 3 }\n'));
  const at = (m: number) => new Date(Date.UTC(2026, 2, 5, 15, m)).toISOString();
  const fill = (m: number, id: string) =>
    parseEvent({
      ts: at(m),
      type: 'fill',
      account: 'A',
      orderId: id,
      fillId: id,
      symbol: 'MNQ',
      side: m % 2 ? 'sell' : 'buy',
      qty: 1,
      price: '18000',
    });
  const before = [fill(0, 'o1'), fill(10, 'o2'), fill(20, 'o3')];
  const last = fill(30, 'o4'); // the 4th filled order within the hour
  const straight = createEngine(config);
  for (const e of before) straight.process(e);
  const restored = createEngine(config);
  restoreEngine(restored, JSON.parse(canonicalJson(snapshotEngine(straight))));
  const expected = straight.process(last).map((d) => d.rule);
  assert.deepEqual(expected, ['RULE-006']);
  assert.deepEqual(
    restored.process(last).map((d) => d.rule),
    expected,
  );
});

test('a stored snapshot of the version 1 layout restores to the same state', () => {
  // test/fixtures/snapshot-v1.json, kept verbatim: the engine after the first 180 of these events,
  // written by riskgate at commit 4495830 (rule states at fixed fields of each account).
  const config = configSchema.parse(
    parse(`
risk:
  rules:
    RULE-003: { limit: "300" }
    RULE-004: { limit: "200" }
    RULE-006: { perMinute: 2, perHour: 20 }
    RULE-008: { grace: "30s" }
    RULE-014: { limit: "500", mode: intraday }
    RULE-016: { maxOrdersPerSecond: 5 }
`),
  );
  const stream = [
    ...generateEvents({
      seed: 7,
      start: '2026-03-05T14:00:00.000Z',
      end: '2026-03-06T02:00:00.000Z',
      accounts: ['A'],
      symbols: [
        { symbol: 'MNQ', price: 18000, tick: 0.25 },
        { symbol: 'ES', price: 5200, tick: 0.25 },
      ],
      stepMs: 300_000,
      withOrders: true,
      maxPosition: 3,
    }),
  ].map((raw) => parseEvent(raw));
  const stored = JSON.parse(
    readFileSync(new URL('../../test/fixtures/snapshot-v1.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>;
  const restored = createEngine(config);
  restoreEngine(restored, stored);
  // Version 1 predates the fill ids kept against duplicates: they restore empty, the rest as it was.
  assert.equal(hashWithoutFillIds(restored), hash('sha256', canonicalJson(stored), 'hex'), 'nothing lost or added');
  const account = (
    stored.accounts as { state: { activity: { counted: string[] }; watermark: { intraday: string } } }[]
  )[0]!.state;
  const st = restored.accounts.get('A')!.state;
  assert.equal(activityOf(st).counted.size, account.activity.counted.length);
  assert.equal(formatFixed(watermarkOf(st).intraday), account.watermark.intraday);

  const straight = createEngine(config);
  for (const e of stream.slice(0, 180)) straight.process(e);
  assert.equal(hashWithoutFillIds(straight), hashWithoutFillIds(restored));
  const rest = stream.slice(180);
  assert.ok(rest.length > 0);
  assert.deepEqual(
    rest.map((e) => restored.process(e)),
    rest.map((e) => straight.process(e)),
  );
  assert.equal(hashWithoutFillIds(restored), hashWithoutFillIds(straight));
});

/** The state hash of an engine as a version 1 snapshot would hold it (no fill ids). */
function hashWithoutFillIds(engine: ReturnType<typeof createEngine>): string {
  const snap = snapshotEngine(engine) as { accounts: Record<string, unknown>[] };
  const v1 = { ...snap, accounts: snap.accounts.map(({ fillIds: _ids, ...rest }) => rest) };
  return hash('sha256', canonicalJson(v1), 'hex');
}
