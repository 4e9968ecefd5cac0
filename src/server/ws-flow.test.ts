/**
 * `GET /ws` flow control over a real port: heartbeats, dead peers, a slow consumer closed with a
 * reason while the others keep receiving, and one bus subscription per server.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { FastifyInstance } from 'fastify';
import { configSchema } from '../config/schema.ts';
import { TradingNode } from '../node/node.ts';
import type { BusListener } from '../node/bus.ts';
import { WsClient, op } from '../../test/fixtures/ws-client.ts';
import { ApiKeyStore } from './api-keys.ts';
import { buildServer, type ServerOptions } from './app.ts';

const CONFIG = configSchema.parse(
  parse('paper:\n  accounts: [ { id: A1, balance: "50000" }, { id: A2, balance: "50000" } ]\n'),
);
let node: TradingNode;
let keys: ApiKeyStore;
let admin: string;
const servers: FastifyInstance[] = [];
const clients: WsClient[] = [];

before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-wsflow-'));
  node = await TradingNode.build({ config: CONFIG, dataDir: dir, feed: false, reconcileMs: 3_600_000 });
  await node.start();
  keys = ApiKeyStore.open(dir);
  admin = keys.create({ role: 'admin' }).key;
});

after(async () => {
  for (const c of clients) c.close();
  for (const s of servers) await s.close();
  keys.close();
  await node.stop('test');
});

async function serve(ws: ServerOptions['ws']): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildServer({ node, auth: { fromApiKey: (key) => keys.verify(key) }, ws });
  servers.push(app);
  return { app, url: (await app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws') + '/ws' };
}

async function subscriber(url: string, channels: string[], account: string): Promise<WsClient> {
  const c = await WsClient.open(url, { 'x-api-key': admin });
  clients.push(c);
  c.send({ op: 'subscribe', channels, accounts: [account] });
  await c.next(op('subscribed'));
  return c;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, what: string, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(10);
  }
}

test('heartbeats: {"op":"ping"} and ws pings every interval; a peer that stops answering is dropped', async () => {
  const { app, url } = await serve({ heartbeatMs: 150 });
  const live = await subscriber(url, ['state'], 'A1');
  await live.next(op('ping'));
  const t1 = Date.now();
  await live.next(op('ping'));
  assert.ok(Date.now() - t1 >= 100, 'pings are spaced by the interval');
  assert.ok(live.pings >= 2, 'ws-level pings too');
  live.send({ op: 'pong' });
  const dead = await subscriber(url, ['state'], 'A1');
  assert.equal(app.streams.clients, 2);
  dead.pauseReading();
  await until(() => app.streams.clients === 1, 'the silent peer to be dropped');
  await pause(400);
  assert.equal(app.streams.clients, 1, 'the answering client stays');
  await live.next(op('ping'));
});

test('a slow consumer is closed with a reason; the other clients receive everything, and memory stays bounded', async () => {
  const { app, url } = await serve({
    bufferPerAccount: 300,
    heartbeatMs: 600_000,
    highWaterBytes: 64 * 1024,
    maxBufferedBytes: 1024 * 1024,
  });
  const fast = await subscriber(url, ['state'], 'A2');
  const slow = await subscriber(url, ['state'], 'A2');
  slow.pauseReading();
  const first = node.bus.seqOf('A2') + 1;
  const pad = 'x'.repeat(16 * 1024);
  let published = 0;
  let maxUnsent = 0;
  // 3 000 × 16 kB: far more than the socket buffers, the ring and the bounds hold together.
  while (published < 3_000) {
    for (let i = 0; i < 10; i++, published++)
      node.bus.publish('A2', 'state', new Date().toISOString(), { n: published, pad });
    for (const c of app.websocketServer.clients) maxUnsent = Math.max(maxUnsent, c.bufferedAmount);
    await pause(1);
  }
  await until(() => fast.data('A2').length === published, 'the fast client to receive everything', 20_000);
  assert.deepEqual(
    fast.data('A2').map((m) => m.seq),
    Array.from({ length: published }, (_, i) => first + i),
    'every message, in order',
  );
  assert.equal(app.streams.clients, 1, 'the slow one is gone');
  assert.ok(maxUnsent <= 1024 * 1024 + 64 * 1024, `unsent bytes per client stay bounded (max ${maxUnsent})`);
  slow.resumeReading();
  assert.deepEqual(await slow.closed, { code: 1008, reason: 'slow consumer' });
  assert.ok(slow.data('A2').length < published, 'the slow client did not get everything');
  node.bus.publish('A2', 'state', new Date().toISOString(), { after: true });
  await fast.next((m) => m.data?.after === true);
});

test('the server subscribes to the bus once, however many clients connect', async () => {
  const subscribe = node.bus.subscribe.bind(node.bus);
  let subscriptions = 0;
  node.bus.subscribe = (l: BusListener) => {
    subscriptions += 1;
    return subscribe(l);
  };
  try {
    const { url } = await serve({});
    // One for the WebSocket hub, one for the metrics: per server, never per connection.
    const perServer = subscriptions;
    assert.ok(perServer >= 1 && perServer <= 2, `${perServer} bus subscriptions per server`);
    const cs = await Promise.all([1, 2, 3, 4].map(() => subscriber(url, ['state'], 'A1')));
    node.bus.publish('A1', 'state', new Date().toISOString(), { probe: 1 });
    for (const c of cs) await c.next((m) => m.data?.probe === 1);
    assert.equal(subscriptions, perServer);
  } finally {
    node.bus.subscribe = subscribe;
  }
});

test('shutdown: clients get a 1001 close, and a client that stopped reading does not hold the server up', async () => {
  const { app, url } = await serve({});
  const reading = await subscriber(url, ['state'], 'A1');
  const stuck = await subscriber(url, ['state'], 'A1');
  stuck.pauseReading();
  const t0 = Date.now();
  await app.close();
  assert.ok(Date.now() - t0 < 3_000, `closed in ${Date.now() - t0} ms`);
  assert.deepEqual(await reading.closed, { code: 1001, reason: 'server shutting down' });
  stuck.resumeReading();
  await stuck.closed;
});
