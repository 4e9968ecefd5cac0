/**
 * Restart of the live loop (DESIGN §1 invariants 2, 3): the engine is rebuilt from the journal's
 * events (as the persistent engine does), the gateway's enforcements and halts from its own
 * records. An unfinished flatten resumes after the restart; a finished one is never sent again,
 * although replaying the events yields the same breach decision (same idempotency key).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import type { BrokerAdapter, OrderRequest } from '../../src/adapters/broker.ts';
import type { PaperBroker } from '../../src/adapters/paper/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { parseEvent } from '../../src/domain/events.ts';
import { formatFixed } from '../../src/domain/money.ts';
import { createEngine } from '../../src/engine/factory.ts';
import { step } from '../../src/engine/step.ts';
import { Gateway } from '../../src/node/gateway.ts';
import { recoverGatewayState, restoreGateway } from '../../src/node/gateway-recovery.ts';
import { MemoryChain } from '../../src/store/memory-chain.ts';
import { boot, qty, RecordingJournal, type Rig } from './gateway-harness.ts';

const CONFIG = 'risk:\n  rules:\n    RULE-004: { limit: "100" }\n';

function switchable(paper: PaperBroker): { broker: BrokerAdapter; state: { failing: boolean; placed: OrderRequest[] } } {
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
  await rig.gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(2), type: 'market' });
  rig.clock.advance(60_000);
  rig.quote('MNQ', '17900.00', '17900.25');
  await rig.gw.idle();
}

/** A new engine + gateway over the same (surviving) broker, rebuilt from the old journal. */
async function restart(rig: Rig, broker: BrokerAdapter): Promise<{ gw: Gateway; journal: RecordingJournal; resumed: number }> {
  const engine = createEngine(configSchema.parse(parse(CONFIG)), 'enforce');
  const scratch = new MemoryChain();
  for (const e of rig.journal.entries) if (e.kind === 'event') step(engine, scratch, { event: parseEvent(e.body), raw: e.body as Record<string, unknown> });
  const journal = new RecordingJournal();
  const gw = new Gateway({ engine, journal, broker, accounts: ['A1'], now: rig.clock.now, random: () => 0.5 });
  const resumed = restoreGateway(gw, recoverGatewayState(rig.journal.entries));
  await gw.start();
  return { gw, journal, resumed };
}

test('an unfinished flatten resumes after a restart and completes once', async () => {
  let sw: ReturnType<typeof switchable> | undefined;
  const rig = await boot(CONFIG, { start: '2026-04-07T14:00:00.000Z', broker: (p) => (sw = switchable(p)).broker });
  sw!.state.failing = true;
  await breach(rig);
  assert.deepEqual((await rig.paper.getPositions('A1')).map((p) => formatFixed(p.qty)), ['2'], 'not flattened before the crash');
  await rig.gw.stop();
  sw!.state.failing = false;
  rig.clock.advance(1_000);
  const after = await restart(rig, sw!.broker);
  assert.equal(after.resumed, 1);
  assert.equal(after.gw.tradingState('A1'), 'REDUCING');
  await after.gw.tick();
  await after.gw.idle();
  assert.deepEqual(await rig.paper.getPositions('A1'), []);
  const sells = (await rig.paper.getFills('A1')).filter((f) => f.side === 'sell');
  assert.deepEqual(sells.map((f) => formatFixed(f.qty)), ['2']);
  assert.equal(after.journal.entries.filter((e) => e.kind === 'enforcement' && (e.body as { status: string }).status === 'confirmed').length, 1);
});

test('a confirmed flatten is not sent again after a restart', async () => {
  let sw: ReturnType<typeof switchable> | undefined;
  const rig = await boot(CONFIG, { start: '2026-04-07T14:00:00.000Z', broker: (p) => (sw = switchable(p)).broker });
  await breach(rig);
  assert.deepEqual(await rig.paper.getPositions('A1'), []);
  await rig.gw.stop();
  const placedBefore = sw!.state.placed.length;
  const after = await restart(rig, sw!.broker);
  assert.equal(after.resumed, 0);
  // The replayed breach has the same key: re-requesting it is a no-op.
  const key = (rig.journal.of('enforcement')[0] as { key: string }).key;
  assert.equal(after.gw.enforcer.get(key)?.status, 'confirmed');
  await after.gw.tick();
  await after.gw.idle();
  assert.equal(sw!.state.placed.length, placedBefore);
  assert.equal(after.gw.tradingState('A1'), 'ACTIVE');
});

test('a halt from a failed enforcement survives the restart until an admin resumes', async () => {
  let sw: ReturnType<typeof switchable> | undefined;
  const rig = await boot(CONFIG, { start: '2026-04-07T14:00:00.000Z', broker: (p) => (sw = switchable(p)).broker, gateway: { enforcement: { maxAttempts: 1 } } });
  sw!.state.failing = true;
  await breach(rig);
  assert.equal(rig.gw.tradingState('A1'), 'HALTED');
  await rig.gw.stop();
  const after = await restart(rig, sw!.broker);
  assert.equal(after.gw.tradingState('A1'), 'HALTED');
  after.gw.resume('A1', 'flattened by phone');
  assert.equal(after.gw.tradingState('A1'), 'ACTIVE');
  const again = recoverGatewayState([...rig.journal.entries, ...after.journal.entries]);
  assert.equal(again.halts.size, 0);
});
