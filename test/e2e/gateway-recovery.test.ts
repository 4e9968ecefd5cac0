/**
 * Restart of the trading node (DESIGN §1 invariants 2, 3): the engine comes back from the store,
 * the gateway's enforcements and halts from its own journal records. An unfinished flatten
 * resumes after the restart; a finished one is never sent again; a halt stays until an admin
 * resumes. (That a breach decided again after a restart keeps its idempotency key and is not
 * enforced twice is a gateway component test: src/node/gateway-recovery.test.ts.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrokerAdapter, OrderRequest } from '../../src/adapters/broker.ts';
import type { PaperBroker } from '../../src/adapters/paper/index.ts';
import { formatFixed } from '../../src/domain/money.ts';
import { boot, qty, type Rig } from './gateway-harness.ts';

const CONFIG = 'risk:\n  rules:\n    RULE-004: { limit: "100" }\n';
const START = '2026-04-07T14:00:00.000Z';

function switchable(paper: PaperBroker): {
  broker: BrokerAdapter;
  state: { failing: boolean; placed: OrderRequest[] };
} {
  const state = { failing: false, placed: [] as OrderRequest[] };
  const broker = Object.create(paper) as BrokerAdapter;
  Object.assign(broker, {
    connect: () => paper.connect(),
    async placeOrder(req: OrderRequest) {
      state.placed.push(req);
      if (state.failing && req.clientOrderId.includes('|')) throw new Error('broker down');
      return paper.placeOrder(req);
    },
  });
  return { broker, state };
}

async function breach(rig: Rig): Promise<void> {
  rig.quote('MNQ', '18000.00', '18000.25');
  assert.equal(
    (await rig.node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(2), type: 'market' })).status,
    'routed',
  );
  rig.clock.advance(60_000);
  rig.quote('MNQ', '17900.00', '17900.25');
  await rig.node.idle();
}

const confirmed = (rig: Rig): number => rig.records('enforcement').filter((e) => e.status === 'confirmed').length;

test('an unfinished flatten resumes after a restart and completes once', async (t) => {
  let sw: ReturnType<typeof switchable> | undefined;
  let rig = await boot(t, CONFIG, { start: START, broker: (p) => (sw = switchable(p)).broker });
  sw!.state.failing = true;
  await breach(rig);
  assert.deepEqual(
    (await rig.paper.getPositions('A1')).map((p) => formatFixed(p.qty)),
    ['2'],
    'not flattened before the restart',
  );
  assert.equal(confirmed(rig), 0);
  rig = await rig.restart(async () => {
    sw!.state.failing = false;
    rig.clock.advance(1_000);
  });
  assert.equal(rig.state(), 'REDUCING');
  assert.deepEqual(rig.node.queries.risk('A1')?.stateReasons, ['1 enforcement(s) pending'], 'the flatten was resumed');
  await rig.node.tick();
  await rig.node.idle();
  assert.deepEqual(await rig.paper.getPositions('A1'), []);
  assert.deepEqual(rig.node.queries.positions('A1'), []);
  const sells = (await rig.paper.getFills('A1')).filter((f) => f.side === 'sell');
  assert.deepEqual(
    sells.map((f) => formatFixed(f.qty)),
    ['2'],
  );
  assert.equal(confirmed(rig), 1);
  assert.equal(rig.state(), 'ACTIVE');
});

test('a confirmed flatten is not sent again after a restart', async (t) => {
  let sw: ReturnType<typeof switchable> | undefined;
  let rig = await boot(t, CONFIG, { start: START, broker: (p) => (sw = switchable(p)).broker });
  await breach(rig);
  assert.deepEqual(await rig.paper.getPositions('A1'), []);
  assert.equal(confirmed(rig), 1);
  const placedBefore = sw!.state.placed.length;
  const enforcementRecords = rig.records('enforcement').length;
  rig = await rig.restart();
  assert.deepEqual(rig.node.queries.risk('A1')?.stateReasons, [], 'nothing resumed');
  rig.clock.advance(1_000);
  await rig.node.tick();
  await rig.node.idle();
  assert.equal(sw!.state.placed.length, placedBefore);
  assert.equal(rig.records('enforcement').length, enforcementRecords);
  assert.equal(rig.state(), 'ACTIVE');
});

test('a halt from a failed enforcement survives the restart until an admin resumes', async (t) => {
  let sw: ReturnType<typeof switchable> | undefined;
  let rig = await boot(t, CONFIG, {
    start: START,
    broker: (p) => (sw = switchable(p)).broker,
    node: { enforcement: { maxAttempts: 1 } },
  });
  sw!.state.failing = true;
  await breach(rig);
  assert.equal(rig.state(), 'HALTED');
  rig = await rig.restart();
  assert.equal(rig.state(), 'HALTED');
  assert.match(String(rig.node.queries.risk('A1')?.stateReasons[0]), /gave up after 1 attempts: broker down/);
  rig.node.resume('A1', 'flattened by phone');
  assert.equal(rig.state(), 'ACTIVE');
  rig = await rig.restart();
  assert.equal(rig.state(), 'ACTIVE', 'the resume is journaled: the halt does not come back');
});
