/**
 * `GET /ws` over a real port and a real node (paper broker): authentication, subscriptions,
 * per-account isolation, resume with `since`, resync, and protocol errors.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { FastifyInstance } from 'fastify';
import { configSchema } from '../config/schema.ts';
import { fromInt, parseFixed } from '../domain/money.ts';
import type { PaperBroker } from '../adapters/paper/index.ts';
import { TradingNode } from '../node/node.ts';
import { WsClient, op } from '../../test/fixtures/ws-client.ts';
import { ApiKeyStore } from './api-keys.ts';
import { buildServer } from './app.ts';

const CONFIG = configSchema.parse(
  parse(
    'risk:\n  rules:\n    RULE-001: { limit: 50 }\npaper:\n  accounts: [ { id: A1, balance: "50000" }, { id: A2, balance: "50000" } ]\n',
  ),
);
let node: TradingNode;
let app: FastifyInstance;
let keys: ApiKeyStore;
let url: string;
const k: Record<string, string> = {};
const clients: WsClient[] = [];
let orders = 0;

before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-ws-'));
  node = await TradingNode.build({ config: CONFIG, dataDir: dir, feed: false, reconcileMs: 3_600_000 });
  await node.start();
  keys = ApiKeyStore.open(dir);
  k.admin = keys.create({ role: 'admin' }).key;
  k.trader = keys.create({ role: 'trader', accounts: ['A1'] }).key;
  const fromToken = async (t: string) =>
    t === 'good.jwt.token' ? { id: 'jwt-viewer', role: 'viewer' as const, accounts: ['A2'] } : undefined;
  app = await buildServer({
    node,
    auth: { fromApiKey: (key) => keys.verify(key), fromToken },
    ws: { authTimeoutMs: 400 },
  });
  url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws') + '/ws';
  (node.live!.broker as PaperBroker).feedQuote({
    symbol: 'MES',
    ts: Date.now(),
    bid: parseFixed('5000'),
    ask: parseFixed('5000.25'),
    last: parseFixed('5000'),
  });
});

after(async () => {
  for (const c of clients) c.close();
  await app.close();
  keys.close();
  await node.stop('test');
});

async function connect(headers: Record<string, string> = {}, suffix = ''): Promise<WsClient> {
  const c = await WsClient.open(url + suffix, headers);
  clients.push(c);
  return c;
}

async function subscribed(
  key: string,
  sub: Record<string, unknown>,
): Promise<{ c: WsClient; seq: Record<string, number> }> {
  const c = await connect({ 'x-api-key': key });
  await c.next(op('authenticated'));
  c.send({ op: 'subscribe', ...sub });
  const ack = await c.next((m) => m.op === 'subscribed' || m.op === 'error');
  assert.equal(ack.op, 'subscribed', JSON.stringify(ack));
  return { c, seq: ack.seq as unknown as Record<string, number> };
}

function buy(account = 'A1'): Promise<unknown> {
  orders += 1;
  return node.submitOrder({
    account,
    symbol: 'MES',
    side: 'buy',
    qty: fromInt(1),
    type: 'market',
    clientOrderId: `ws-${account}-${orders}`,
  });
}

test('auth by header: an API key or a bearer token; a bad one is refused and closed', async () => {
  const byKey = await connect({ 'x-api-key': k.trader! });
  assert.deepEqual(await byKey.next(), { op: 'authenticated', role: 'trader', epoch: node.bus.epoch });
  const byToken = await connect({ authorization: 'Bearer good.jwt.token' });
  assert.deepEqual(await byToken.next(), { op: 'authenticated', role: 'viewer', epoch: node.bus.epoch });
  const badKey = await connect({ 'x-api-key': 'rg_000000000000_' + 'x'.repeat(32) });
  assert.equal((await badKey.next()).code, 'ERR_AUTH_INVALID');
  assert.equal((await badKey.closed).code, 1008);
  const badToken = await connect({ authorization: 'Bearer forged' });
  assert.equal((await badToken.next()).code, 'ERR_AUTH_INVALID');
  assert.equal((await badToken.closed).code, 1008);
});

test('auth by first message (browsers); nothing else is accepted first, and silence times out', async () => {
  const byKey = await connect();
  byKey.send({ op: 'auth', apiKey: k.admin });
  assert.deepEqual(await byKey.next(), { op: 'authenticated', role: 'admin', epoch: node.bus.epoch });
  const byToken = await connect();
  byToken.send({ op: 'auth', token: 'good.jwt.token' });
  assert.deepEqual(await byToken.next(), { op: 'authenticated', role: 'viewer', epoch: node.bus.epoch });
  const wrong = await connect();
  wrong.send({ op: 'auth', apiKey: 'nope' });
  assert.equal((await wrong.next()).code, 'ERR_AUTH_INVALID');
  assert.equal((await wrong.closed).code, 1008);
  const early = await connect();
  early.send({ op: 'subscribe', channels: ['fills'], accounts: ['A1'] });
  assert.equal((await early.next()).code, 'ERR_AUTH_REQUIRED');
  assert.deepEqual(await early.closed, { code: 1008, reason: 'ERR_AUTH_REQUIRED' });
  const silent = await connect();
  const t0 = Date.now();
  assert.equal((await silent.next()).code, 'ERR_AUTH_REQUIRED');
  assert.ok(Date.now() - t0 >= 350, 'the client had its auth window');
  assert.equal((await silent.closed).code, 1008);
});

test('a plain HTTP GET /ws is a catalogued 400, not an upgrade', async () => {
  const res = await app.inject({ method: 'GET', url: '/ws', headers: { 'x-api-key': k.admin! } });
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().error.code, 'ERR_INPUT_INVALID');
  assert.match(res.json().error.message, /WebSocket/);
});

test('a key in the URL never authenticates', async () => {
  for (const q of [`?apiKey=${k.admin}`, `?token=${k.admin}`, `?x=1&api_key=${k.admin}`]) {
    const c = await connect({}, q);
    const m = await c.next();
    assert.equal(m.op, 'error');
    assert.equal(m.code, 'ERR_AUTH_REQUIRED');
    assert.match(String(m.message), /never accepted in the URL/);
    assert.equal((await c.closed).code, 1008);
    assert.equal(c.messages.length, 1, 'nothing but the refusal');
  }
});

test('a trader subscribed to its account receives its order, fill, position and risk messages in seq order', async () => {
  const { c, seq } = await subscribed(k.trader!, {
    channels: ['fills', 'risk', 'orders', 'positions'],
    accounts: ['A1'],
  });
  const start = seq.A1!;
  await buy();
  const fill = await c.next((m) => m.channel === 'fills');
  assert.equal(fill.account, 'A1');
  assert.equal(fill.data!.symbol, 'MES');
  assert.equal(fill.data!.price, '5000.25');
  const risk = await c.next((m) => m.channel === 'risk');
  assert.equal(risk.account, 'A1');
  assert.ok(typeof risk.seq === 'number' && risk.seq > fill.seq!);
  const seqs = c.data().map((m) => m.seq!);
  assert.ok(seqs[0]! > start, 'only what happened after subscribing');
  assert.deepEqual(
    seqs,
    [...seqs].sort((a, b) => a - b),
  );
  assert.equal(new Set(seqs).size, seqs.length);
  assert.ok(
    c.data().every((m) => ['fills', 'risk', 'orders', 'positions'].includes(m.channel!) && typeof m.ts === 'string'),
  );
  assert.ok(c.data().some((m) => m.channel === 'orders') && c.data().some((m) => m.channel === 'positions'));
});

test('isolation: a foreign account is the same error as a missing one, and no foreign data arrives', async () => {
  const { c } = await subscribed(k.trader!, { channels: ['fills', 'risk', 'orders'], accounts: ['A1'] });
  c.send({ op: 'subscribe', channels: ['fills', 'risk', 'orders'], accounts: ['A2'] });
  const foreign = await c.next(op('error'));
  c.send({ op: 'subscribe', channels: ['fills'], accounts: ['NOPE'] });
  const missing = await c.next(op('error'));
  assert.equal(foreign.code, 'ERR_ACCOUNT_UNKNOWN');
  assert.equal(missing.code, 'ERR_ACCOUNT_UNKNOWN');
  assert.equal(String(foreign.message).replace('A2', 'X'), String(missing.message).replace('NOPE', 'X'));
  c.send({ op: 'resync', account: 'A2' });
  assert.equal((await c.next(op('error'))).code, 'ERR_ACCOUNT_UNKNOWN');
  const viewer = await connect({ authorization: 'Bearer good.jwt.token' });
  viewer.send({ op: 'subscribe', channels: ['fills'], accounts: ['A2'] });
  await viewer.next(op('subscribed'));
  await buy('A2');
  await viewer.next((m) => m.channel === 'fills' && m.account === 'A2');
  await buy('A1');
  await c.next((m) => m.channel === 'fills' && m.account === 'A1');
  assert.deepEqual(c.data('A2'), [], 'the trader saw nothing of A2');
  assert.deepEqual(viewer.data('A1'), [], 'the viewer saw nothing of A1');
});

test('resume: a new connection with since gets exactly the missed messages of its channels, in order, then live', async () => {
  const watcher = await subscribed(k.admin!, {
    channels: ['risk', 'positions', 'orders', 'fills', 'violations', 'locks', 'enforcements', 'state'],
    accounts: ['A1'],
  });
  const { c: first, seq } = await subscribed(k.trader!, { channels: ['fills', 'orders'], accounts: ['A1'] });
  await buy();
  const lastSeen = (await first.next((m) => m.channel === 'fills')).seq!;
  first.close();
  await buy();
  await buy();
  for (let i = 0; i < 3; i++) await watcher.c.next((m) => m.channel === 'fills');
  await watcher.c.next((m) => m.channel === 'risk');
  const missed = watcher.c
    .data('A1')
    .filter((m) => m.seq! > lastSeen && (m.channel === 'fills' || m.channel === 'orders'));
  assert.ok(missed.filter((m) => m.channel === 'fills').length === 2 && seq.A1! < lastSeen);
  const again = await connect({ 'x-api-key': k.trader! });
  again.send({ op: 'subscribe', channels: ['fills', 'orders'], accounts: ['A1'], since: lastSeen });
  await again.next(op('subscribed'));
  for (const want of missed) assert.deepEqual(await again.next((m) => m.op === undefined), want);
  await buy();
  const live = await again.next((m) => m.channel === 'fills');
  assert.ok(live.seq! > missed.at(-1)!.seq!);
  assert.deepEqual(
    again.messages.filter((m) => m.op === 'resync'),
    [],
  );
});

test('resync: a since from before the buffer or after the current seq, or on request', async () => {
  const small = await buildServer({
    node,
    auth: { fromApiKey: (key) => keys.verify(key) },
    ws: { bufferPerAccount: 4 },
  });
  const smallUrl = (await small.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws') + '/ws';
  try {
    const current = node.bus.seqOf('A1');
    assert.ok(current > 0);
    const c = await WsClient.open(smallUrl, { 'x-api-key': k.trader! });
    clients.push(c);
    // The small server started after A1's first messages: since 0 is older than its buffer.
    c.send({ op: 'subscribe', channels: ['fills'], accounts: ['A1'], since: 0 });
    assert.deepEqual(await c.next(op('subscribed')), {
      op: 'subscribed',
      channels: ['fills'],
      accounts: ['A1'],
      seq: { A1: current },
      epoch: node.bus.epoch,
    });
    assert.deepEqual(await c.next(), { op: 'resync', account: 'A1', seq: current, epoch: node.bus.epoch });
    c.send({ op: 'subscribe', channels: ['fills'], accounts: ['A1'], since: current + 5 });
    await c.next(op('subscribed'));
    assert.deepEqual(await c.next(), { op: 'resync', account: 'A1', seq: current, epoch: node.bus.epoch });
    await buy();
    await buy();
    const now = node.bus.seqOf('A1');
    assert.ok(now - current > 4, 'more messages than the buffer holds');
    c.send({ op: 'resync', account: 'A1', since: current });
    assert.deepEqual(await c.next(op('resync')), { op: 'resync', account: 'A1', seq: now, epoch: node.bus.epoch });
    c.send({ op: 'resync', account: 'A1', since: now - 3 });
    c.send({ op: 'ping' });
    const replayed = await c.next((m) => m.op === undefined);
    assert.ok(replayed.seq! > now - 3 && replayed.channel === 'fills', 'replayed from the buffer');
    c.send({ op: 'resync', account: 'A1' });
    assert.deepEqual(await c.next(op('resync')), { op: 'resync', account: 'A1', seq: now, epoch: node.bus.epoch });
  } finally {
    await small.close();
  }
});

test('malformed JSON and unknown ops are answered without closing', async () => {
  const { c } = await subscribed(k.trader!, { channels: ['fills'], accounts: ['A1'] });
  const cases: [unknown, string, RegExp][] = [
    ['{not json', 'ERR_INPUT_MALFORMED', /JSON/],
    [{ op: 'dance' }, 'ERR_INPUT_INVALID', /unknown op "dance"/],
    [[1, 2], 'ERR_INPUT_INVALID', /object/],
    [
      { op: 'subscribe', channels: ['fills', 'gossip'], accounts: ['A1'] },
      'ERR_INPUT_INVALID',
      /unknown channel "gossip"/,
    ],
    [{ op: 'subscribe', channels: ['fills'] }, 'ERR_INPUT_INVALID', /accounts/],
    [{ op: 'subscribe', channels: ['fills'], accounts: ['A1'], since: -1 }, 'ERR_INPUT_INVALID', /since/],
    [{ op: 'resync', account: 'A1', since: 'x' }, 'ERR_INPUT_INVALID', /since/],
    [{ op: 'auth', apiKey: k.admin }, 'ERR_INPUT_INVALID', /already authenticated/],
  ];
  for (const [msg, code, message] of cases) {
    c.send(msg);
    const e = await c.next(op('error'));
    assert.equal(e.code, code, JSON.stringify(msg));
    assert.match(String(e.message), message);
  }
  c.send({ op: 'ping' });
  assert.deepEqual(await c.next(op('pong')), { op: 'pong' });
  await buy();
  await c.next((m) => m.channel === 'fills');
});

test('unsubscribe stops a channel; quotes arrive latest-value, without seq', async () => {
  const { c } = await subscribed(k.trader!, {
    channels: ['fills', 'orders', 'quotes'],
    accounts: ['A1'],
    symbols: ['MES'],
  });
  (node.live!.broker as PaperBroker).feedQuote({
    symbol: 'MES',
    ts: Date.now(),
    bid: parseFixed('5001'),
    ask: parseFixed('5001.25'),
    last: parseFixed('5001'),
  });
  const q = await c.next((m) => m.channel === 'quotes');
  assert.equal(q.symbol, 'MES');
  assert.equal(q.seq, undefined);
  c.send({ op: 'unsubscribe', channels: ['orders'] });
  await c.next(op('unsubscribed'));
  const before = c.messages.length;
  await buy();
  await c.next((m) => m.channel === 'fills');
  assert.deepEqual(
    c.messages.slice(before).filter((m) => m.channel === 'orders'),
    [],
  );
});
