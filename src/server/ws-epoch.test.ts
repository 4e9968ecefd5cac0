/**
 * Resume across a node restart on a real port: seqs restart with the node, so a client's `since`
 * from before the restart is only meaningful with the epoch it was of. A different epoch is
 * answered with `resync` even when the restarted node already has that many messages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { fromInt, parseFixed } from '../domain/money.ts';
import type { PaperBroker } from '../adapters/paper/index.ts';
import { newStreamEpoch } from '../node/bus.ts';
import { TradingNode } from '../node/node.ts';
import { WsClient, op } from '../../test/fixtures/ws-client.ts';
import { ApiKeyStore } from './api-keys.ts';
import { buildServer } from './app.ts';

const CONFIG = configSchema.parse(
  parse('risk:\n  rules:\n    RULE-001: { limit: 50 }\npaper:\n  accounts: [ { id: A1, balance: "50000" } ]\n'),
);

async function startNode(dir: string, epoch: string) {
  const node = await TradingNode.build({
    config: CONFIG,
    dataDir: dir,
    feed: false,
    reconcileMs: 3_600_000,
    streamEpoch: epoch,
  });
  await node.start();
  (node.live!.broker as PaperBroker).feedQuote({
    symbol: 'MES',
    ts: Date.now(),
    bid: parseFixed('5000'),
    ask: parseFixed('5000.25'),
    last: parseFixed('5000'),
  });
  const keys = ApiKeyStore.open(dir);
  const key = keys.create({ role: 'trader', accounts: ['A1'] }).key;
  const app = await buildServer({ node, auth: { fromApiKey: (k) => keys.verify(k) } });
  const url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws') + '/ws';
  let orders = 0;
  const buy = (side: 'buy' | 'sell') =>
    node.submitOrder({
      account: 'A1',
      symbol: 'MES',
      side,
      qty: fromInt(1),
      type: 'market',
      clientOrderId: `ep-${epoch}-${++orders}`,
    });
  const stop = async () => {
    await app.close();
    keys.close();
    await node.stop('test');
  };
  return { node, url, key, buy, stop, oldestBuffered: () => app.streams.ring('A1').oldestSeq };
}

test('epoch: a since from before a restart is answered with resync, one of this start resumes', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-ws-epoch-'));
  const first = await startNode(dir, newStreamEpoch(1_000));
  const c1 = await WsClient.open(first.url, { 'x-api-key': first.key });
  const hello = await c1.next(op('authenticated'));
  assert.equal(hello.epoch, first.node.bus.epoch);
  c1.send({ op: 'subscribe', channels: ['fills', 'orders'], accounts: ['A1'] });
  const sub1 = await c1.next(op('subscribed'));
  const oldEpoch = sub1.epoch as string;
  assert.equal(oldEpoch, first.node.bus.epoch);
  // Several fills, so the old since lies past what the restarted node publishes before its server starts.
  for (let i = 0; i < 2; i++) await first.buy('buy');
  await c1.next((m) => m.channel === 'fills');
  const lastSeen = (await c1.next((m) => m.channel === 'fills')).seq!;
  c1.close();
  await first.stop();

  // The node behind the same address starts again. Its own data dir: a paper store restarted in place
  // is on probation (its paper broker forgot the positions) and takes no new orders to publish.
  const second = await startNode(mkdtempSync(path.join(tmpdir(), 'rg-ws-epoch-')), newStreamEpoch(2_000));
  try {
    assert.notEqual(second.node.bus.epoch, oldEpoch);
    // The hard case: the new start has published past the old `since`, so the seq alone looks resumable.
    for (let i = 0; i < 4 && second.node.bus.seqOf('A1') <= lastSeen; i++) await second.buy('buy');
    assert.ok(second.node.bus.seqOf('A1') > lastSeen);
    const current = second.node.bus.seqOf('A1');
    assert.ok(second.oldestBuffered() <= lastSeen, 'the server holds the seqs after the old since');

    const stale = await WsClient.open(second.url, { 'x-api-key': second.key });
    await stale.next(op('authenticated'));
    stale.send({ op: 'subscribe', channels: ['fills', 'orders'], accounts: ['A1'], since: lastSeen, epoch: oldEpoch });
    const sub2 = await stale.next(op('subscribed'));
    assert.equal(sub2.epoch, second.node.bus.epoch);
    assert.deepEqual(await stale.next(), { op: 'resync', account: 'A1', seq: current, epoch: second.node.bus.epoch });
    stale.send({ op: 'resync', account: 'A1', since: lastSeen, epoch: oldEpoch });
    assert.deepEqual(await stale.next(op('resync')), {
      op: 'resync',
      account: 'A1',
      seq: current,
      epoch: second.node.bus.epoch,
    });
    stale.close();

    // The same since with this start's epoch (or none: clients from before epochs) is replayed.
    for (const epoch of [second.node.bus.epoch, undefined]) {
      const fresh = await WsClient.open(second.url, { 'x-api-key': second.key });
      await fresh.next(op('authenticated'));
      fresh.send({
        op: 'subscribe',
        channels: ['risk', 'positions', 'fills', 'orders', 'state'],
        accounts: ['A1'],
        since: lastSeen,
        ...(epoch ? { epoch } : {}),
      });
      await fresh.next(op('subscribed'));
      const replayed = await fresh.next((m) => m.op !== undefined || m.seq !== undefined);
      assert.equal(replayed.op, undefined, JSON.stringify(replayed));
      assert.equal(replayed.seq! > lastSeen, true);
      fresh.close();
    }
  } finally {
    await second.stop();
  }
});

test('epoch: a malformed epoch is refused naming the field', async () => {
  const { parseClientOp } = await import('./ws-protocol.ts');
  assert.deepEqual(
    parseClientOp(JSON.stringify({ op: 'subscribe', channels: ['fills'], accounts: ['A1'], epoch: 5 })),
    {
      error: 'ERR_INPUT_INVALID',
      message: 'epoch: expected the epoch of a `subscribed` reply',
    },
  );
  assert.equal(
    (
      parseClientOp(
        JSON.stringify({ op: 'subscribe', channels: ['fills'], accounts: ['A1'], since: 3, epoch: 'e1' }),
      ) as {
        epoch?: string;
      }
    ).epoch,
    'e1',
  );
});
