/**
 * Gateway component test of restart recovery (DESIGN §1 invariant 2): an enforcement restored
 * from the journal as confirmed is never requested again, even when replaying the same events
 * decides the same breach again (same idempotency key). The trading node never routes replayed
 * decisions to its gateway, so this holds below the node; the node's restart scenarios are in
 * test/e2e/gateway-recovery.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { PaperBroker } from '../adapters/paper/index.ts';
import { configSchema } from '../config/schema.ts';
import { fromInt, parseFixed } from '../domain/money.ts';
import { createEngine } from '../engine/factory.ts';
import type { JournalEntryLike, JournalSink } from '../engine/journal-port.ts';
import { MemoryChain } from '../store/memory-chain.ts';
import { Gateway } from './gateway.ts';
import { recoverGatewayState, restoreGateway } from './gateway-recovery.ts';

const CONFIG = configSchema.parse(parse('risk:\n  rules:\n    RULE-004: { limit: "100" }\n'));
const T0 = Date.parse('2026-04-07T14:00:00.000Z');

/** A journal sink that keeps its records (and the stores' hash chain). */
function recording(): JournalSink & { entries: JournalEntryLike[] } {
  const entries: JournalEntryLike[] = [];
  const chain = new MemoryChain();
  return {
    entries,
    append: (e) => {
      entries.push(e);
      chain.append(e);
    },
    head: () => chain.head(),
  };
}

/** A gateway over a new engine, the paper broker (every enforcement order is counted). */
function gatewayOf(
  paper: PaperBroker,
  now: () => number,
): { gw: Gateway; journal: ReturnType<typeof recording>; enforcementOrders: () => number } {
  const journal = recording();
  let orders = 0;
  const broker = Object.create(paper) as PaperBroker;
  Object.assign(broker, {
    connect: () => paper.connect(),
    placeOrder: (req: Parameters<PaperBroker['placeOrder']>[0]) => (
      req.clientOrderId.includes('|') && orders++,
      paper.placeOrder(req)
    ),
  });
  const gw = new Gateway({
    engine: createEngine(CONFIG, 'enforce'),
    journal,
    broker,
    accounts: ['A1'],
    now,
    random: () => 0.5,
  });
  return { gw, journal, enforcementOrders: () => orders };
}

async function breachAndFlatten(paper: PaperBroker, now: () => number, t: { ms: number }): Promise<JournalEntryLike[]> {
  const first = gatewayOf(paper, now);
  await first.gw.start();
  const quote = (bid: string): void =>
    paper.feedQuote({
      symbol: 'MNQ',
      ts: now(),
      bid: parseFixed(bid),
      ask: parseFixed(bid) + parseFixed('0.25'),
      last: parseFixed(bid),
    });
  quote('18000');
  assert.equal(
    (await first.gw.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: fromInt(2), type: 'market' })).status,
    'routed',
  );
  t.ms += 60_000;
  quote('17900');
  await first.gw.idle();
  await first.gw.stop();
  assert.deepEqual(await paper.getPositions('A1'), [], 'flattened');
  assert.equal(first.enforcementOrders(), 1);
  return first.journal.entries;
}

/** Restarts over the old journal (its gateway records restored or not), replaying its events through the new gateway. */
async function replayAfterRestart(
  paper: PaperBroker,
  now: () => number,
  old: JournalEntryLike[],
  restore: boolean,
): Promise<ReturnType<typeof gatewayOf>> {
  const after = gatewayOf(paper, now);
  if (restore) assert.equal(restoreGateway(after.gw, recoverGatewayState(old)), 0, 'nothing to resume');
  // The engine is rebuilt from the events through the gateway, so every decision reaches it again.
  for (const e of old) if (e.kind === 'event') after.gw.apply(e.body as Record<string, unknown>);
  await after.gw.start();
  await after.gw.tick();
  await after.gw.idle();
  return after;
}

test('a confirmed enforcement is not requested again when the replayed events decide the same breach', async () => {
  const t = { ms: T0 };
  const now = (): number => t.ms;
  const paper = new PaperBroker({ accounts: [{ id: 'A1', balance: fromInt(50000) }] });
  const old = await breachAndFlatten(paper, now, t);
  const key = (old.find((e) => e.kind === 'enforcement')?.body as { key: string }).key;

  const after = await replayAfterRestart(paper, now, old, true);
  assert.ok(
    after.journal.entries.some(
      (e) => e.kind === 'decision' && (e.body as { kind: string; rule: string }).kind === 'breach',
    ),
    'the replay decided the breach again',
  );
  assert.equal(after.gw.enforcer.get(key)?.status, 'confirmed');
  assert.deepEqual(
    after.journal.entries.filter((e) => e.kind === 'enforcement'),
    [],
    'no enforcement requested again',
  );
  assert.equal(after.enforcementOrders(), 0);
  assert.equal(after.gw.tradingState('A1'), 'ACTIVE');

  // Control: without the restored records, the same replay requests the flatten again.
  const blank = await replayAfterRestart(paper, now, old, false);
  assert.ok(blank.journal.entries.some((e) => e.kind === 'enforcement' && (e.body as { key: string }).key === key));
});
