/**
 * DESIGN §1 invariant 1, property-tested: whatever the account state (positions, locks,
 * cooldowns, pending enforcements, HALTED / REDUCING, an empty new-order lane, canTrade=false,
 * rules that reject everything opening), a cancel, a close or a reduce-only order is never
 * blocked: it reaches the broker (closes reduce-only).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { createEngine } from '../engine/factory.ts';
import { MemoryChain } from '../store/memory-chain.ts';
import { fromInt, ZERO, type Fixed } from '../domain/money.ts';
import { isoOf } from '../domain/events.ts';
import type { BrokerAdapter, Order, OrderRequest } from '../adapters/broker.ts';
import { Gateway } from './gateway.ts';

// Every rule tight enough to reject any opening order.
const CONFIG = `
risk:
  rules:
    RULE-001: { limit: 1 }
    RULE-002: { limits: { MNQ: 1 }, unknownSymbol: block }
    RULE-003: { limit: "1" }
    RULE-009: { sessions: [ { start: "03:00", end: "03:01", days: [sun] } ] }
    RULE-010: {}
    RULE-011: { blocked: ["*"] }
    RULE-015: {}
    RULE-016: { maxOrdersPerSecond: 1, maxOrderQty: 1, maxNotional: "1" }
`;
const SYMBOLS = ['MNQ', 'ES', 'CLZ6'] as const;
const T0 = Date.parse('2026-04-07T14:00:00.000Z');

/** A broker that accepts everything and records what reached it. */
function recordingBroker(): BrokerAdapter & { placed: OrderRequest[]; cancelled: string[] } {
  const placed: OrderRequest[] = [];
  const cancelled: string[] = [];
  const order = (r: Partial<OrderRequest> & { account: string }, id: string, status: Order['status']): Order => ({
    orderId: id,
    clientOrderId: r.clientOrderId ?? id,
    account: r.account,
    symbol: r.symbol ?? 'MNQ',
    side: r.side ?? 'buy',
    qty: r.qty ?? fromInt(1),
    filledQty: ZERO,
    avgFillPrice: undefined,
    type: r.type ?? 'market',
    limitPrice: r.limitPrice,
    stopPrice: r.stopPrice,
    trailAmount: undefined,
    reduceOnly: r.reduceOnly ?? false,
    ocoGroup: undefined,
    parentOrderId: undefined,
    status,
    reason: undefined,
    createdTs: T0,
    updatedTs: T0,
  });
  return {
    name: 'recording',
    placed,
    cancelled,
    connect: async () => undefined,
    disconnect: async () => undefined,
    placeOrder: async (r) => (placed.push(r), order(r, `B${placed.length}`, 'working')),
    cancelOrder: async (account, id) => (cancelled.push(id), order({ account }, id, 'cancelled')),
    modifyOrder: async (account, id) => order({ account }, id, 'working'),
    searchOpenOrders: async () => [],
    getOrder: async (account, id) => order({ account }, id, 'working'),
    getPositions: async () => [],
    getFills: async () => [],
    getAccount: async (account) => ({ account, canTrade: true, balance: fromInt(50000) }),
    onFill: () => () => undefined,
    onOrder: () => () => undefined,
    onQuote: () => () => undefined,
  };
}

const accountState = fc.record({
  positions: fc.array(
    fc.record({ symbol: fc.constantFrom(...SYMBOLS), qty: fc.integer({ min: -6, max: 6 }).filter((q) => q !== 0) }),
    { minLength: 1, maxLength: 4 },
  ),
  locks: fc.subarray([
    { rule: 'RULE-003', until: T0 + 3_600_000, kind: 'lockout' },
    { rule: 'RULE-007', until: T0 + 300_000, kind: 'cooldown' },
    { rule: 'ADMIN', until: 'admin', kind: 'lockout' },
    { rule: 'RULE-010', until: 'canTrade', kind: 'lockout' },
  ] as const),
  halted: fc.boolean(),
  probation: fc.boolean(),
  laneEmpty: fc.boolean(),
  canTrade: fc.boolean(),
  dryRun: fc.boolean(),
});

const intent = fc.record({
  kind: fc.constantFrom('close', 'reduce_only', 'cancel'),
  pick: fc.nat(),
  fraction: fc.double({ min: 0, max: 1, noNaN: true }),
  type: fc.constantFrom('market', 'limit', 'stop'),
  side: fc.constantFrom('buy', 'sell'),
  qty: fc.integer({ min: 1, max: 20 }),
});

test('invariant 1: no rule, lock, rate limit or trading state blocks a cancel, a close or a reduce-only order', async () => {
  await fc.assert(
    fc.asyncProperty(accountState, intent, async (s, o) => {
      const engine = createEngine(configSchema.parse(parse(CONFIG)), 'enforce');
      const broker = recordingBroker();
      let now = T0;
      const gw = new Gateway({
        engine,
        journal: new MemoryChain(),
        broker,
        accounts: ['A1'],
        now: () => now,
        dryRun: s.dryRun,
      });
      await gw.start();
      let n = 0;
      for (const p of s.positions) {
        gw.apply({
          ts: isoOf(now),
          type: 'fill',
          account: 'A1',
          orderId: `seed${++n}`,
          fillId: `f${n}`,
          symbol: p.symbol,
          side: p.qty > 0 ? 'buy' : 'sell',
          qty: Math.abs(p.qty),
          price: '100',
        });
      }
      if (!s.canTrade) gw.apply({ ts: isoOf(now), type: 'account', account: 'A1', canTrade: false });
      const rec = engine.account('A1');
      for (const l of s.locks) engine.lock(rec, { ...l, since: now, reason: 'property test' });
      if (s.halted) gw.flags.halt('A1', 'test', 'halted by the property test');
      if (s.probation) gw.flags.setProbation('A1', 'probation by the property test');
      if (s.laneEmpty) gw.lane.drain();
      await gw.idle();
      now += 10;
      const before = broker.placed.length;
      const held = [...rec.state.positions.values()].filter((p) => p.qty !== ZERO);

      if (o.kind === 'cancel') {
        await gw.cancelOrder('A1', 'B-working');
        assert.deepEqual(broker.cancelled.slice(-1), ['B-working']);
        return;
      }
      let req: { symbol: string; side: 'buy' | 'sell'; qty: Fixed; reduceOnly?: boolean };
      if (o.kind === 'close' && held.length > 0) {
        const p = held[o.pick % held.length]!;
        const size = p.qty > ZERO ? p.qty : -p.qty;
        const q = BigInt(Math.max(1, Math.ceil(Number(size / fromInt(1)) * o.fraction)));
        req = { symbol: p.symbol, side: p.qty > ZERO ? 'sell' : 'buy', qty: fromInt(q) };
      } else {
        req = { symbol: SYMBOLS[o.pick % SYMBOLS.length]!, side: o.side, qty: fromInt(o.qty), reduceOnly: true };
      }
      const price =
        o.type === 'market' ? {} : o.type === 'limit' ? { limitPrice: fromInt(100) } : { stopPrice: fromInt(100) };
      const r = await gw.submitOrder({ account: 'A1', type: o.type, ...req, ...price });
      assert.equal(
        r.status,
        'routed',
        `blocked: ${JSON.stringify(r.status === 'rejected' ? r.codes : [])} in state ${gw.tradingState('A1')}`,
      );
      assert.equal(broker.placed.length, before + 1);
      assert.equal(broker.placed.at(-1)!.reduceOnly, true, 'risk-reducing orders go to the broker reduce-only');
    }),
    { numRuns: 150, seed: 20260407 },
  );
});

test('control: the same states do block an opening order (so the property above is not vacuous)', async () => {
  const engine = createEngine(configSchema.parse(parse(CONFIG)), 'enforce');
  const broker = recordingBroker();
  const gw = new Gateway({ engine, journal: new MemoryChain(), broker, accounts: ['A1'], now: () => T0 });
  await gw.start();
  gw.flags.halt('A1', 'test', 'halted');
  const r = await gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: fromInt(1), type: 'market' });
  assert.equal(r.status, 'rejected');
  assert.equal(broker.placed.length, 0);
  gw.flags.clearHalt('A1');
  gw.lane.drain();
  const engine2 = createEngine(configSchema.parse({}), 'enforce');
  const gw2 = new Gateway({ engine: engine2, journal: new MemoryChain(), broker, accounts: ['A1'], now: () => T0 });
  await gw2.start();
  gw2.lane.drain();
  const r2 = await gw2.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: fromInt(1), type: 'market' });
  assert.equal(r2.status === 'rejected' && r2.codes[0], 'RATE_LIMITED');
});
