/**
 * The trading node's surface: given a store and the paper broker, when commands run, then queries
 * and the bus tell what happened, and the store keeps it across a restart.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { fromInt, parseFixed } from '../domain/money.ts';
import { isAppError } from '../errors.ts';
import { PaperBroker } from '../adapters/paper/index.ts';
import type { AccountMessage, BusMessage } from './bus.ts';
import { TradingNode } from './node.ts';

const CONFIG = configSchema.parse(
  parse(`
risk:
  rules:
    RULE-001: { limit: 3 }
    RULE-003: { limit: "100" }
paper:
  accounts: [ { id: A1, balance: "50000" }, { id: A2, balance: "50000" } ]
`),
);

function clock(iso: string): { now: () => number; advance(ms: number): void } {
  let t = Date.parse(iso);
  return { now: () => t, advance: (ms) => (t += ms) };
}

async function boot(dataDir: string, c = clock('2026-03-03T15:00:00.000Z')) {
  // The venue is the test's: injected, so the test can quote and act at it as a venue would.
  const paper = new PaperBroker({ accounts: ['A1', 'A2'].map((id) => ({ id, balance: fromInt(50000) })) });
  const node = await TradingNode.build({
    config: CONFIG,
    dataDir,
    now: c.now,
    feed: false,
    random: () => 0.5,
    reconcileMs: 3_600_000,
    broker: paper,
  });
  const messages: BusMessage[] = [];
  node.bus.subscribe((m) => messages.push(m));
  await node.start();
  const quote = (bid: string): void =>
    paper.feedQuote({
      symbol: 'MES',
      ts: c.now(),
      bid: parseFixed(bid),
      ask: parseFixed(bid) + parseFixed('0.25'),
      last: parseFixed(bid),
    });
  return { node, messages, quote, clock: c, paper };
}

const ofAccount = (ms: BusMessage[], account: string): AccountMessage[] =>
  ms.filter((m): m is AccountMessage => m.channel !== 'quotes' && m.account === account);

test('orders go through the node: fills, positions, risk and violations are queryable and published with a per-account seq', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-node-'));
  const { node, messages, quote, clock: c } = await boot(dir);
  try {
    quote('5000');
    const r = await node.submitOrder({
      account: 'A1',
      symbol: 'MES',
      side: 'buy',
      qty: fromInt(2),
      type: 'market',
      clientOrderId: 'o1',
    });
    assert.equal(r.status, 'routed');
    assert.deepEqual(node.queries.positions('A1'), [
      { symbol: 'MES', qty: 2, avgPrice: '5000.25', unrealizedPnl: '-2.5' },
    ]);
    assert.equal(node.queries.fills('A1')[0]?.orderId, 'o1');
    assert.equal(node.queries.orders('A1')[0]?.status, 'filled');

    const big = await node.submitOrder({
      account: 'A1',
      symbol: 'MES',
      side: 'buy',
      qty: fromInt(5),
      type: 'market',
      clientOrderId: 'o2',
    });
    assert.equal(big.status, 'rejected');
    assert.ok(big.status === 'rejected' && big.rules.includes('RULE-001'));
    assert.equal(node.queries.violations('A1')[0]?.rule, 'RULE-001');
    assert.deepEqual(node.queries.orders('A1')[0]?.rejectedBy, ['RULE-001']);

    c.advance(1000);
    quote('4980'); // −20.25 points × 2 × 5 = −202.5 unrealized: no realized loss yet
    assert.equal(node.queries.risk('A1')?.positions[0]?.unrealizedPnl, '-202.5');

    const a1 = ofAccount(messages, 'A1');
    assert.deepEqual(
      a1.map((m) => m.seq),
      a1.map((_, i) => i + 1),
      'A1 seq grows by one per message',
    );
    for (const channel of ['orders', 'fills', 'positions', 'risk', 'violations'] as const)
      assert.ok(
        a1.some((m) => m.channel === channel),
        `a ${channel} message`,
      );
    assert.ok(messages.some((m) => m.channel === 'quotes' && m.symbol === 'MES'));
    // A2's own state at start (its risk frame, flat) is all its stream carries: nothing of A1's trading.
    const a2 = ofAccount(messages, 'A2');
    assert.deepEqual(
      a2.map((m) => m.channel),
      a2.map(() => 'risk'),
      'nothing of A1 on A2 stream',
    );
    assert.ok(a2.every((m) => (m.data as { positions: unknown[] }).positions.length === 0));
  } finally {
    await node.stop('test');
  }
});

test('admin lock rejects opening orders with the lock; unlock lets them through; both survive a restart in the journal', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-node-'));
  const c = clock('2026-03-03T15:00:00.000Z');
  let { node, quote } = await boot(dir, c);
  quote('5000');
  node.lock('A1', 'risk review', 'alice');
  const locked = await node.submitOrder({
    account: 'A1',
    symbol: 'MES',
    side: 'buy',
    qty: fromInt(1),
    type: 'market',
    clientOrderId: 'l1',
  });
  assert.equal(locked.status, 'rejected');
  assert.equal(node.queries.risk('A1')?.state, 'REDUCING');
  assert.match(
    String(node.queries.violations('A1')[1]?.reason ?? node.queries.violations('A1')[0]?.reason),
    /admin lock by alice: risk review/,
  );
  await node.stop('restart');

  c.advance(1000);
  ({ node, quote } = await boot(dir, c));
  try {
    assert.equal(node.queries.risk('A1')?.locks[0]?.rule, 'ADMIN', 'the lock is back after the restart');
    assert.ok(
      node.queries.violations('A1').some((v) => v.rule === 'ADMIN'),
      'read models warmed from the journal',
    );
    node.unlock('A1', 'review done', 'alice');
    quote('5000');
    const r = await node.submitOrder({
      account: 'A1',
      symbol: 'MES',
      side: 'buy',
      qty: fromInt(1),
      type: 'market',
      clientOrderId: 'l2',
    });
    assert.equal(r.status, 'routed');
    assert.throws(
      () => node.lock('NOPE-9', 'x'),
      (e: unknown) => isAppError(e) && e.code === 'ERR_ACCOUNT_UNKNOWN',
    );
    assert.throws(
      () => node.lock('A1', '  '),
      (e: unknown) => isAppError(e) && e.code === 'ERR_INPUT_INVALID',
    );
  } finally {
    await node.stop('test');
  }
});

test('one owner per data dir: a second writer gets ERR_STORE_LOCKED, a reader works beside the owner, an offline node trades nothing', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-node-'));
  const { node, quote } = await boot(dir);
  try {
    quote('5000');
    await node.submitOrder({
      account: 'A1',
      symbol: 'MES',
      side: 'buy',
      qty: fromInt(1),
      type: 'market',
      clientOrderId: 'x1',
    });
    node.commit();
    assert.throws(
      () => TradingNode.open({ dataDir: dir, owner: 'admin lock' }),
      (e: unknown) => isAppError(e) && e.code === 'ERR_STORE_LOCKED' && /in use by `riskgate /.test(e.message),
    );
    const reader = TradingNode.open({ dataDir: dir, readOnly: true });
    try {
      assert.equal(reader.queries.positions('A1')[0]?.qty, 1, 'the reader sees what the owner committed');
      assert.throws(
        () => reader.lock('A1', 'x'),
        (e: unknown) => isAppError(e),
      );
    } finally {
      reader.close();
    }
    // The owner goes on working.
    const r = await node.submitOrder({
      account: 'A1',
      symbol: 'MES',
      side: 'sell',
      qty: fromInt(1),
      type: 'market',
      clientOrderId: 'x2',
    });
    assert.equal(r.status, 'routed');
  } finally {
    await node.stop('test');
  }
  const offline = TradingNode.open({ dataDir: dir });
  try {
    await assert.rejects(
      offline.submitOrder({ account: 'A1', symbol: 'MES', side: 'buy', qty: fromInt(1), type: 'market' }),
      (e: unknown) => isAppError(e) && e.code === 'ERR_NODE_OFFLINE',
    );
    assert.equal(offline.queries.positions('A1').length, 0);
  } finally {
    offline.close();
  }
});

test('an unknown broker kind never falls back to paper', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-node-'));
  const config = { ...CONFIG, broker: { kind: 'no-such-venue' } } as typeof CONFIG;
  await assert.rejects(
    TradingNode.build({ config, dataDir: dir, feed: false }),
    (e: unknown) => isAppError(e) && e.code === 'ERR_CONFIG_INVALID' && /known kinds: paper/.test(e.message),
  );
  // Nothing was created: the data dir is free for a good config.
  TradingNode.open({ config: CONFIG, dataDir: dir }).close();
});

test('order changes: one that adds exposure beyond a rule is refused (user) or cancelled at the venue (venue-side); a reducing one passes', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-node-'));
  const { node, quote, paper } = await boot(dir);
  try {
    quote('5000');
    const placed = await node.submitOrder({
      account: 'A1',
      symbol: 'MES',
      side: 'buy',
      qty: fromInt(1),
      type: 'limit',
      limitPrice: parseFixed('4900'),
      clientOrderId: 'lim1',
    });
    assert.equal(placed.status, 'routed');
    const tooBig = await node.modifyOrder('A1', 'lim1', { qty: fromInt(5) });
    assert.equal(tooBig.status, 'rejected');
    assert.ok(tooBig.status === 'rejected' && tooBig.rules.includes('RULE-001'));
    const ok = await node.modifyOrder('A1', 'lim1', { qty: fromInt(2) });
    assert.equal(ok.status, 'routed');
    assert.equal(
      node.queries.orders('A1', 'working')[0]?.qty,
      2,
      'the engine and read model learned the venue-confirmed change',
    );

    // The same change made at the venue itself (its own UI): riskgate cancels the order.
    const brokerId = placed.status === 'routed' ? placed.order.orderId : '';
    await paper.modifyOrder('A1', brokerId, { qty: fromInt(6) });
    await node.idle();
    assert.equal((await paper.getOrder('A1', brokerId)).status, 'cancelled');
    assert.ok(
      node.queries
        .violations('A1')
        .some((v) => v.rule === 'RULE-001' && v.kind === 'rejection' && v.orderId === 'lim1'),
    );
  } finally {
    await node.stop('test');
  }
});
