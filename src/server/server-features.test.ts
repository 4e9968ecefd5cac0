/**
 * Server features over a real node (paper broker) through `inject()`: JWT bearer auth, rate limits
 * with tiers and the reserved cancel/flatten lane, /metrics after activity, the OpenAPI document.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { FastifyInstance } from 'fastify';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { configSchema } from '../config/schema.ts';
import { fromInt, parseFixed } from '../domain/money.ts';
import type { PaperBroker } from '../adapters/paper/index.ts';
import { TradingNode } from '../node/node.ts';
import { ApiKeyStore } from './api-keys.ts';
import { buildServer } from './app.ts';
import { jwtVerifier } from './jwt.ts';
import WebSocket from 'ws';

const CONFIG = configSchema.parse(
  parse(
    'risk:\n  rules:\n    RULE-001: { limit: 3 }\npaper:\n  accounts: [ { id: A1, balance: "50000" }, { id: A2, balance: "50000" } ]\n',
  ),
);
let node: TradingNode;
let app: FastifyInstance;
let keys: ApiKeyStore;
let clock = Date.UTC(2026, 0, 5, 15, 0, 0);
const k: Record<string, string> = {};
let privateKey: CryptoKey;

before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-features-'));
  node = await TradingNode.build({ config: CONFIG, dataDir: dir, feed: false, reconcileMs: 3_600_000 });
  await node.start();
  keys = ApiKeyStore.open(dir);
  k.admin = keys.create({ role: 'admin', tier: 'ops' }).key;
  k.trader = keys.create({ role: 'trader', accounts: ['A1'] }).key;
  k.pro = keys.create({ role: 'trader', accounts: ['A1'], tier: 'pro' }).key;
  const pair = await generateKeyPair('EdDSA', { extractable: true });
  privateKey = pair.privateKey;
  const fromToken = jwtVerifier({ publicKey: await exportSPKI(pair.publicKey), issuer: 'idp', audience: 'riskgate' });
  app = await buildServer({
    node,
    auth: { fromApiKey: (key) => keys.verify(key), fromToken },
    rateLimits: { default: { perMinute: 5 }, tiers: { pro: { perMinute: 8 }, ops: { perMinute: 100_000 } } },
    now: () => clock,
  });
  // Stand-ins for the cancel and flatten routes when they are not part of this build.
  if (!app.hasRoute({ method: 'DELETE', url: '/api/v1/orders/:id' }))
    app.delete('/api/v1/orders/:id', async () => ({ cancelled: true }));
  if (!app.hasRoute({ method: 'POST', url: '/api/v1/accounts/:id/flatten' }))
    app.post('/api/v1/accounts/:id/flatten', async () => ({ flattened: true }));
  (node.live!.broker as PaperBroker).feedQuote({
    symbol: 'MES',
    ts: Date.now(),
    bid: parseFixed('5000'),
    ask: parseFixed('5000.25'),
    last: parseFixed('5000'),
  });
});

after(async () => {
  await app.close();
  keys.close();
  await node.stop('test');
});

const get = (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers });
const token = (claims: Record<string, unknown>, opts: { aud?: string; iss?: string; expSec?: number } = {}) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA' })
    .setIssuer(opts.iss ?? 'idp')
    .setAudience(opts.aud ?? 'riskgate')
    .setSubject('bob')
    .setExpirationTime(Math.floor(Date.now() / 1000) + (opts.expSec ?? 300))
    .sign(privateKey);

test('JWT: a valid bearer token sees its granted accounts; expired, wrong audience or issuer answer 401', async () => {
  const ok = await get('/api/v1/accounts', {
    authorization: `Bearer ${await token({ role: 'viewer', accounts: ['A2'] })}`,
  });
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(
    ok.json().accounts.map((a: { account: string }) => a.account),
    ['A2'],
  );
  assert.equal(
    (
      await get('/api/v1/accounts/A1/risk', {
        authorization: `Bearer ${await token({ role: 'viewer', accounts: ['A2'] })}`,
      })
    ).statusCode,
    404,
    'outside the grant',
  );
  for (const bad of [
    await token({ role: 'viewer', accounts: ['A2'] }, { expSec: -60 }),
    await token({ role: 'viewer', accounts: ['A2'] }, { aud: 'x' }),
    await token({ role: 'viewer', accounts: ['A2'] }, { iss: 'x' }),
    'a.b.c',
  ]) {
    const r = await get('/api/v1/accounts', { authorization: `Bearer ${bad}` });
    assert.equal(r.statusCode, 401);
    assert.equal(r.json().error.code, 'ERR_AUTH_INVALID');
  }
});

test('rate limits: a principal that used its budget gets 429 with Retry-After; cancel and flatten still pass; tiers differ', async () => {
  clock += 120_000;
  const trader = { 'x-api-key': k.trader! };
  for (let i = 0; i < 5; i++)
    assert.equal((await get('/api/v1/accounts/A1/risk', trader)).statusCode, 200, `request ${i + 1}`);
  const refused = await get('/api/v1/accounts/A1/risk', trader);
  assert.equal(refused.statusCode, 429);
  assert.equal(refused.json().error.code, 'ERR_RATE_LIMITED');
  assert.equal(refused.headers['retry-after'], '12', 'one token comes back every 60/5 s');
  for (let i = 0; i < 2; i++) {
    const cancel = await app.inject({ method: 'DELETE', url: '/api/v1/orders/o-1?account=A1', headers: trader });
    const flatten = await app.inject({
      method: 'POST',
      url: '/api/v1/accounts/A1/flatten',
      headers: trader,
      payload: { reason: 'done for the day' },
    });
    assert.notEqual(cancel.statusCode, 429, 'the reserved lane is not charged for reads');
    assert.notEqual(flatten.statusCode, 429);
  }
  assert.equal(
    (await get('/api/v1/accounts/A1/risk', { 'x-api-key': k.pro! })).statusCode,
    200,
    'another principal has its own bucket',
  );
  let pro = 1;
  while ((await get('/api/v1/accounts/A1/risk', { 'x-api-key': k.pro! })).statusCode === 200) pro++;
  assert.equal(pro, 8, 'the pro tier allows 8 a minute');
  clock += 12_000;
  assert.equal((await get('/api/v1/accounts/A1/risk', trader)).statusCode, 200, 'a token is back after Retry-After');
  assert.equal((await get('/health', {})).statusCode, 200, '/health is never limited');
});

test('/metrics: Prometheus text with events, decisions, enforcement latency, journal, WebSocket clients and HTTP latency', async () => {
  const admin = { 'x-api-key': k.admin! };
  await node.submitOrder({
    account: 'A1',
    symbol: 'MES',
    side: 'buy',
    qty: fromInt(1),
    type: 'market',
    clientOrderId: 'm-1',
  });
  await node.flatten('A1', 'metrics test');
  await node.idle();
  const lock = await app.inject({
    method: 'POST',
    url: '/api/v1/admin/accounts/A2/lock',
    headers: admin,
    payload: { reason: 'metrics' },
  });
  assert.equal(lock.statusCode, 200);
  assert.equal((await get('/api/v1/accounts/A2/risk', admin)).statusCode, 200);
  // A real WebSocket client: the gauge follows the connections.
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = new WebSocket(`${url.replace('http', 'ws')}/ws`, { headers: { 'x-api-key': k.admin! } });
  await new Promise((resolve, reject) => client.once('message', resolve).once('error', reject));
  const res = await get('/metrics', {});
  client.close();
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/plain/);
  const text = res.body;
  const value = (re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);
  assert.ok(value(/^riskgate_events_processed_total (\d+)/m) > 0, 'events processed');
  assert.ok(value(/^riskgate_journal_head_seq (\d+)/m) > 0, 'journal head');
  assert.match(text, /^riskgate_journal_pending_records \d+/m);
  assert.equal(value(/^riskgate_decisions_total\{rule="ADMIN",action="lockout",kind="admin"\} (\d+)/m), 1, text);
  assert.ok(
    value(/^riskgate_enforcement_latency_seconds_count\{kind="\w+"\} (\d+)/m) >= 1,
    'the flatten was confirmed',
  );
  assert.ok(value(/^riskgate_order_updates_total\{status="filled"\} (\d+)/m) >= 2, 'the order and the flatten filled');
  assert.equal(value(/^riskgate_ws_clients (\d+)/m), 1);
  assert.ok(
    value(
      /^riskgate_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/accounts\/:id\/risk",status="200"\} (\d+)/m,
    ) >= 1,
  );
  assert.ok(
    value(
      /^riskgate_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/accounts\/:id\/risk",status="429"\} (\d+)/m,
    ) >= 1,
  );
});

test('OpenAPI 3.1 at /docs/json lists the routes with their schemas; /docs serves the UI', async () => {
  const res = await get('/docs/json', {});
  assert.equal(res.statusCode, 200);
  const doc = res.json() as {
    openapi: string;
    paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; security?: unknown[] }>>;
    components: { securitySchemes: Record<string, unknown> };
  };
  assert.equal(doc.openapi, '3.1.0');
  const risk = doc.paths['/api/v1/accounts/{id}/risk']?.get;
  assert.ok(risk, Object.keys(doc.paths).join(', '));
  assert.deepEqual(
    risk.parameters?.map((p) => [p.in, p.name]),
    [['path', 'id']],
  );
  assert.deepEqual(doc.paths['/api/v1/accounts/{id}/fills']?.get?.parameters?.map((p) => p.name).sort(), [
    'id',
    'limit',
  ]);
  assert.ok(doc.paths['/api/v1/admin/accounts/{id}/lock']?.post);
  assert.deepEqual(doc.paths['/health']?.get?.security, [], '/health needs no credentials');
  assert.equal(doc.paths['/metrics'], undefined, '/metrics is not part of the API document');
  assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['apiKey', 'bearer']);
  const ui = await get('/docs', {});
  assert.equal(ui.statusCode, 200);
  assert.match(ui.body, /swagger-ui/i);
});
