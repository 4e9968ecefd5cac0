/**
 * Restart recovery on a real SQLite store: crash (pending records lost) at random points, reopen,
 * continue — the state equals an engine that never stopped; a lockout survives a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { parseEvent } from '../domain/events.ts';
import { createEngine } from '../engine/factory.ts';
import { stateHash } from '../engine/snapshot.ts';
import { generateEvents, prng } from '../../test/fixtures/generate-events.ts';
import { lockPath } from './data-dir-lock.ts';
import { PersistentEngine } from './persistent-engine.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'rg-pe-'));
const config = configSchema.parse(
  parse(`
risk:
  rules:
    RULE-001: { limit: 6 }
    RULE-003: { limit: "250" }
    RULE-004: { limit: "150" }
    RULE-006: { perMinute: 2, cooldowns: { minute: "60s" } }
    RULE-008: { grace: "90s" }
    RULE-014: { limit: "600", mode: intraday }
`),
);
const raws = [
  ...generateEvents({
    seed: 21,
    start: '2026-03-05T14:00:00.000Z',
    end: '2026-03-07T02:00:00.000Z',
    accounts: ['A', 'B'],
    symbols: [
      { symbol: 'MNQ', price: 18000, tick: 0.25 },
      { symbol: 'ES', price: 5200, tick: 0.25 },
    ],
    stepMs: 600_000,
    withOrders: true,
    maxPosition: 4,
  }),
];
const input = (raw: Record<string, unknown>) => ({ event: parseEvent(raw), raw });

test('200 crash points: committed prefix + recovery + the rest equals an uninterrupted engine', () => {
  const straight = createEngine(config);
  for (const raw of raws) straight.process(parseEvent(raw));
  const expected = stateHash(straight);
  const rnd = prng(99);
  for (let i = 0; i < 200; i++) {
    const dataDir = path.join(dir, `crash-${i}`);
    const crash = Math.floor(rnd() * raws.length);
    let committed = 0;
    const first = PersistentEngine.open(dataDir, {
      config,
      manualCommit: true,
      snapshotEvery: 1 + Math.floor(rnd() * 60),
      synchronous: 'NORMAL',
    });
    for (let k = 0; k < crash; k++) {
      first.process(input(raws[k]!));
      if (rnd() < 0.2) {
        first.commit();
        committed = k + 1;
      }
    }
    // Crash: the process dies, pending (uncommitted) records are lost. (No close(): it would flush.)
    rmSync(lockPath(dataDir)); // a dead process's lock is stale; this one is alive, so drop it by hand
    const second = PersistentEngine.open(dataDir, { config, manualCommit: true, synchronous: 'NORMAL' });
    assert.equal(second.engine.eventsProcessed, committed, `iteration ${i}: recovered exactly the committed events`);
    for (const raw of raws.slice(committed)) second.process(input(raw));
    second.commit();
    assert.equal(stateHash(second.engine), expected, `iteration ${i} (crash after ${crash}, committed ${committed})`);
    second.close();
  }
});

test('a lockout survives a restart: opening orders stay rejected until the reset', () => {
  const dataDir = path.join(dir, 'lockout');
  const cfg = configSchema.parse(parse('risk: { rules: { RULE-003: { limit: "500" } } }'));
  const fill = (ts: string, side: string, price: string) => ({
    ts,
    type: 'fill',
    account: 'A',
    orderId: ts,
    fillId: ts,
    symbol: 'ES',
    side,
    qty: 1,
    price,
  });
  const a = PersistentEngine.open(dataDir, { config: cfg });
  a.process(input(fill('2026-04-07T14:00:00.000Z', 'buy', '5200')));
  const breach = a.process(input(fill('2026-04-07T14:05:00.000Z', 'sell', '5189')));
  assert.equal(breach[0]?.rule, 'RULE-003');
  a.close();
  const b = PersistentEngine.open(dataDir);
  const rec = b.engine.accounts.get('A')!;
  assert.equal(rec.state.locks.get('RULE-003')?.until, Date.parse('2026-04-07T22:00:00.000Z'));
  const order = (ts: string, id: string) =>
    input({ ts, type: 'order', account: 'A', orderId: id, symbol: 'ES', side: 'buy', qty: 1, orderType: 'market' });
  assert.equal(b.process(order('2026-04-07T16:00:00.000Z', 'o1'))[0]?.rule, 'RULE-003');
  b.close();
  const c = PersistentEngine.open(dataDir);
  assert.deepEqual(
    c.process(order('2026-04-07T22:00:00.000Z', 'o2')).filter((d) => d.kind === 'rejection'),
    [],
    'the lock ends at the reset',
  );
  assert.deepEqual(c.report().accounts.A!.days['2026-04-07']!.rejections, [
    { rule: 'RULE-003', ts: '2026-04-07T16:00:00.000Z', orderId: 'o1' },
  ]);
  c.close();
});

test('a store refuses a different config (recovery must re-derive the same decisions)', () => {
  const dataDir = path.join(dir, 'cfg');
  PersistentEngine.open(dataDir, { config }).close();
  const other = configSchema.parse(parse('risk: { rules: { RULE-003: { limit: "1" } } }'));
  assert.throws(() => PersistentEngine.open(dataDir, { config: other }), /different configuration/);
});

test('a fill resent after a restart (snapshot + journal) is not booked again; nor is one in the journal itself', () => {
  const dataDir = path.join(dir, 'duplicates');
  const cfg = configSchema.parse(parse('risk: { rules: { RULE-001: { limit: 5 } } }'));
  const fill = (ts: string, fillId: string, side: string) =>
    input({
      ts,
      type: 'fill',
      account: 'A',
      orderId: `o-${fillId}`,
      fillId,
      symbol: 'ES',
      side,
      qty: 1,
      price: '5200',
    });
  const a = PersistentEngine.open(dataDir, { config: cfg, snapshotEvery: 2 });
  a.process(fill('2026-04-07T14:00:00.000Z', 'f1', 'buy'));
  a.process(fill('2026-04-07T14:01:00.000Z', 'f2', 'buy'));
  a.process(fill('2026-04-07T14:02:00.000Z', 'f3', 'buy')); // after the snapshot: recovered from the journal
  a.process(fill('2026-04-07T14:03:00.000Z', 'f3', 'buy')); // a duplicate, journaled as the event it was
  assert.equal(a.engine.duplicateFills, 1);
  a.close();
  const b = PersistentEngine.open(dataDir);
  const qty = () => b.engine.accounts.get('A')!.state.positions.get('ES')!.qty;
  assert.equal(qty(), 3_000_000_000_000_000_000n);
  b.process(fill('2026-04-07T14:10:00.000Z', 'f1', 'buy'));
  b.process(fill('2026-04-07T14:11:00.000Z', 'f3', 'buy'));
  assert.equal(qty(), 3_000_000_000_000_000_000n, 'f1 (in the snapshot) and f3 (in the journal) are known');
  b.process(fill('2026-04-07T14:12:00.000Z', 'f4', 'sell'));
  assert.equal(qty(), 2_000_000_000_000_000_000n);
  b.close();
});
