/**
 * The API over a real node (paper broker, SQLite store) through `inject()`: auth, per-account
 * isolation, error bodies.
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
import { ApiKeyStore } from './api-keys.ts';
import { buildServer } from './app.ts';

const CONFIG = configSchema.parse(
  parse(
    'risk:\n  rules:\n    RULE-001: { limit: 3 }\npaper:\n  accounts: [ { id: A1, balance: "50000" }, { id: A2, balance: "50000" } ]\n',
  ),
);
let node: TradingNode;
let app: FastifyInstance;
let keys: ApiKeyStore;
const k: Record<string, string> = {};

before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-api-'));
  node = await TradingNode.build({ config: CONFIG, dataDir: dir, feed: false, reconcileMs: 3_600_000 });
  await node.start();
  keys = ApiKeyStore.open(dir);
  k.admin = keys.create({ role: 'admin' }).key;
  k.trader = keys.create({ role: 'trader', accounts: ['A1'] }).key;
  k.viewer = keys.create({ role: 'viewer', accounts: ['A2'] }).key;
  app = await buildServer({ node, auth: { fromApiKey: (key) => keys.verify(key) } });
  (node.live!.broker as PaperBroker).feedQuote({
    symbol: 'MES',
    ts: Date.now(),
    bid: parseFixed('5000'),
    ask: parseFixed('5000.25'),
    last: parseFixed('5000'),
  });
  await node.submitOrder({
    account: 'A1',
    symbol: 'MES',
    side: 'buy',
    qty: fromInt(1),
    type: 'market',
    clientOrderId: 'a1-1',
  });
});

after(async () => {
  await app.close();
  keys.close();
  await node.stop('test');
});

const get = (url: string, key?: string) => app.inject({ method: 'GET', url, headers: key ? { 'x-api-key': key } : {} });

test('/health answers without auth; /api needs a valid key', async () => {
  assert.equal((await get('/health')).statusCode, 200);
  const none = await get('/api/v1/accounts');
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().error.code, 'ERR_AUTH_REQUIRED');
  const bad = await get('/api/v1/accounts', 'rg_000000000000_' + 'x'.repeat(32));
  assert.equal(bad.statusCode, 401);
  assert.equal(bad.json().error.code, 'ERR_AUTH_INVALID');
});

test('a trader sees its own accounts only; a foreign account is the same 404 as a missing one', async () => {
  assert.deepEqual(
    (await get('/api/v1/accounts', k.trader)).json().accounts.map((a: { account: string }) => a.account),
    ['A1'],
  );
  assert.deepEqual(
    (await get('/api/v1/accounts', k.admin))
      .json()
      .accounts.map((a: { account: string }) => a.account)
      .sort(),
    ['A1', 'A2'],
  );
  const own = await get('/api/v1/accounts/A1/positions', k.trader);
  assert.equal(own.statusCode, 200);
  assert.deepEqual(own.json().positions, [{ symbol: 'MES', qty: 1, avgPrice: '5000.25', unrealizedPnl: '-1.25' }]);
  for (const route of ['risk', 'positions', 'orders', 'fills', 'violations']) {
    const foreign = await get(`/api/v1/accounts/A2/${route}`, k.trader);
    const missing = await get(`/api/v1/accounts/NOPE/${route}`, k.trader);
    assert.equal(foreign.statusCode, 404, route);
    assert.equal(missing.statusCode, 404, route);
    assert.equal(foreign.json().error.code, 'ERR_ACCOUNT_UNKNOWN');
    assert.equal(
      foreign.json().error.message.replace('A2', 'X'),
      missing.json().error.message.replace('NOPE', 'X'),
      'nothing tells them apart but the id',
    );
  }
  assert.equal((await get('/api/v1/accounts/A2/risk', k.viewer)).statusCode, 200);
  assert.equal((await get('/api/v1/accounts/A1/fills', k.admin)).json().fills[0].orderId, 'a1-1');
});

test('errors are catalogued: unknown routes, bad parameters, revoked keys', async () => {
  const nf = await get('/api/v1/nope', k.admin);
  assert.equal(nf.statusCode, 404);
  assert.equal(nf.json().error.code, 'ERR_ROUTE_NOT_FOUND');
  const bad = await get('/api/v1/accounts/A1/fills?limit=abc', k.admin);
  assert.equal(bad.statusCode, 400);
  assert.match(bad.json().error.message, /limit/);
  const temp = keys.create({ role: 'viewer', accounts: ['A1'] });
  assert.equal((await get('/api/v1/accounts', temp.key)).statusCode, 200);
  keys.revoke(temp.info.id);
  assert.equal((await get('/api/v1/accounts', temp.key)).statusCode, 401);
  const ready = await get('/ready');
  assert.equal(ready.statusCode, 200);
  assert.equal(ready.json().broker, 'connected');
});
