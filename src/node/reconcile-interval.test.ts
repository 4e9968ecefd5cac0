/**
 * Given a config with `reconcile.interval: "1s"`, when the venue trades without riskgate hearing
 * of it, then a periodic pass (no reconcile command) adopts the venue's position, journals it and
 * publishes a reconcile_mismatch message.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { BrokerAdapter } from '../adapters/broker.ts';
import { PaperBroker } from '../adapters/paper/index.ts';
import { configSchema } from '../config/schema.ts';
import { fromInt, parseFixed } from '../domain/money.ts';
import type { BusMessage } from './bus.ts';
import { TradingNode } from './node.ts';

test('reconcile.interval from the config drives periodic passes that adopt the venue state', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-reconcile-interval-'));
  const paper = new PaperBroker({ accounts: [{ id: 'A1', balance: fromInt(50000) }] });
  // The venue's own trades are not streamed to riskgate: only a reconcile pass can find them.
  const broker = Object.assign(Object.create(paper) as BrokerAdapter, {
    connect: () => paper.connect(),
    onFill: () => () => undefined,
    onOrder: () => () => undefined,
  });
  const config = configSchema.parse(parse('reconcile: { interval: "1s" }\npaper: { accounts: [ { id: A1 } ] }\n'));
  const node = await TradingNode.build({ config, dataDir: dir, feed: false, broker });
  t.after(async () => {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const messages: BusMessage[] = [];
  node.bus.subscribe((m) => messages.push(m));
  await node.start({ feed: false });
  paper.feedQuote({ symbol: 'MNQ', ts: Date.now(), bid: parseFixed('100'), ask: parseFixed('100.25') });
  await paper.placeOrder({
    account: 'A1',
    clientOrderId: 'v1',
    symbol: 'MNQ',
    side: 'buy',
    qty: fromInt(1),
    type: 'market',
  });
  for (let i = 0; i < 60 && node.queries.positions('A1').length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.deepEqual(
    node.queries.positions('A1').map((p) => `${p.symbol} ${p.qty}`),
    ['MNQ 1'],
  );
  const published = messages.find((m) => m.channel === 'state' && m.data.event === 'reconcile_mismatch');
  assert.ok(published, 'reconcile_mismatch published');
  assert.deepEqual(
    (published.data.mismatches as { kind: string; brokerQty: string }[]).map((m) => `${m.kind} ${m.brokerQty}`),
    ['position 1'],
  );
  assert.equal(node.journal({ kind: 'alert', account: 'A1' }).filter((r) => r.body.rule === 'RECONCILE').length, 1);
});
