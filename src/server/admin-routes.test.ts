/**
 * Account controls and admin routes over a real node: flatten (202 with enforcements), lock and
 * unlock (admin, reason required, journaled with the key id), config read (redacted, other
 * accounts left out) and change (validated by path; stricter now, the rest at the reset),
 * instruments, and API keys (create once, list without secrets, revoke).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, type Fixture } from './test-fixture.ts';
import { redact, REDACTED } from './routes/config.ts';

let f: Fixture;
before(async () => {
  f = await fixture();
});
after(async () => {
  await f.close();
});

const keyId = (key: string) => key.split('_')[1]!;

test('flatten: a trader closes its account (202 with the enforcements); a viewer may not; another account is 404', async () => {
  assert.equal(
    (
      await f.call('POST', '/api/v1/orders', f.k.trader, {
        account: 'A1',
        symbol: 'MES',
        side: 'buy',
        qty: 2,
        orderType: 'market',
      })
    ).statusCode,
    201,
  );
  assert.equal((await f.call('POST', '/api/v1/accounts/A1/flatten', f.k.viewer)).statusCode, 403);
  assert.equal((await f.call('POST', '/api/v1/accounts/A2/flatten', f.k.trader)).statusCode, 404);
  assert.equal(
    (await f.call('POST', '/api/v1/accounts/A1/flatten', f.k.trader, { reason: 'x', why: 1 })).json().error.message,
    'body.why: must NOT have additional properties',
  );
  const r = await f.call('POST', '/api/v1/accounts/A1/flatten', f.k.trader);
  assert.equal(r.statusCode, 202, r.body);
  assert.deepEqual(
    r
      .json()
      .enforcements.map((e: { kind: string }) => e.kind)
      .sort(),
    ['cancel_orders', 'close_all'],
  );
  await f.node.idle();
  assert.deepEqual((await f.call('GET', '/api/v1/accounts/A1/positions', f.k.trader)).json().positions, []);
});

test('lock and unlock: admin only, reason required (400 naming it), journaled with the key id, answer has the risk', async () => {
  for (const key of [f.k.trader, f.k.viewer])
    assert.equal((await f.call('POST', '/api/v1/admin/accounts/A1/lock', key, { reason: 'x' })).statusCode, 403);
  for (const body of [{}, { reason: '' }, { reason: '   ' }, undefined]) {
    const r = await f.call('POST', '/api/v1/admin/accounts/A1/lock', f.k.admin, body);
    assert.equal(r.statusCode, 400, JSON.stringify(body));
    assert.match(r.json().error.message, /reason/);
  }
  assert.equal((await f.call('POST', '/api/v1/admin/accounts/NOPE/lock', f.k.admin, { reason: 'x' })).statusCode, 404);
  const locked = await f.call('POST', '/api/v1/admin/accounts/A1/lock', f.k.admin, { reason: 'risk review' });
  assert.equal(locked.statusCode, 200, locked.body);
  assert.equal(locked.json().risk.state, 'REDUCING');
  assert.ok(locked.json().risk.locks.length > 0);
  const rejected = await f.call('POST', '/api/v1/orders', f.k.trader, {
    account: 'A1',
    symbol: 'MES',
    side: 'buy',
    qty: 1,
    orderType: 'market',
  });
  assert.equal(rejected.statusCode, 409);
  const journaled = f.node.journal({ account: 'A1', kind: 'admin' }).map((r) => JSON.stringify(r.body));
  assert.ok(
    journaled.some((b) => b.includes(keyId(f.k.admin)) && b.includes('risk review')),
    'who and why are journaled',
  );
  const unlocked = await f.call('POST', '/api/v1/admin/accounts/A1/unlock', f.k.admin, { reason: 'cleared' });
  assert.equal(unlocked.statusCode, 200);
  assert.equal(unlocked.json().risk.state, 'ACTIVE');
});

test('GET /config: admins see every account, others only theirs; secrets are redacted', async () => {
  const admin = (await f.call('GET', '/api/v1/config', f.k.admin)).json().config;
  assert.deepEqual(Object.keys(admin.accounts), ['A2']);
  assert.equal(admin.paper.accounts.length, 2);
  const trader = await f.call('GET', '/api/v1/config', f.k.trader);
  assert.equal(trader.statusCode, 200);
  assert.deepEqual(trader.json().config.accounts, {});
  assert.deepEqual(
    trader.json().config.paper.accounts.map((a: { id: string }) => a.id),
    ['A1'],
  );
  assert.doesNotMatch(trader.body, /A2/);
  assert.deepEqual(redact({ broker: { kind: 'projectx', username: 'u', apiKeyFile: 'k', accounts: { 1: 'A1' } } }), {
    broker: { kind: 'projectx', username: REDACTED, apiKeyFile: REDACTED, accounts: { 1: 'A1' } },
  });
});

test('PUT /config: admin only; problems listed by path; stricter keys now, looser at the next reset', async () => {
  const current = (await f.call('GET', '/api/v1/config', f.k.admin)).json().config;
  const next = structuredClone(current);
  next.risk.rules['RULE-001'] = { limit: 2 }; // stricter
  next.risk.rules['RULE-003'] = { limit: '800' }; // looser
  assert.equal((await f.call('PUT', '/api/v1/config', f.k.trader, next)).statusCode, 403);
  const bad = await f.call('PUT', '/api/v1/config', f.k.admin, {
    ...next,
    risk: { rules: { 'RULE-001': { limit: 'x' }, 'RULE-999': {} } },
  });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().error.code, 'ERR_CONFIG_INVALID');
  const problems = bad.json().error.problems.map((p: { path: string; message: string }) => `${p.path}: ${p.message}`);
  assert.ok(
    problems.some((p: string) => p.startsWith('risk.rules.RULE-001.limit: ')),
    problems.join(),
  );
  assert.ok(
    problems.some((p: string) => p.includes('RULE-999')),
    problems.join(),
  );
  const tz = await f.call('PUT', '/api/v1/config', f.k.admin, { ...next, timezone: 'Europe/Paris' });
  assert.equal(tz.statusCode, 400, 'trading-day settings define the store');
  const ok = await f.call('PUT', '/api/v1/config', f.k.admin, next);
  assert.equal(ok.statusCode, 200, ok.body);
  const plan = ok.json();
  assert.ok(plan.appliesNow.includes('risk.rules.RULE-001'));
  assert.ok(plan.atNextReset.includes('risk.rules.RULE-003'));
  assert.ok(!plan.appliesNow.includes('risk.rules.RULE-003'));
  assert.match(plan.reason, /stricter limits in force now/);
  assert.deepEqual(plan.restartNeeded, []);
  const paper = structuredClone(next);
  paper.paper.accounts[0].balance = '1';
  const restart = await f.call('PUT', '/api/v1/config', f.k.admin, paper);
  assert.deepEqual(restart.json().restartNeeded, ['paper'], 'the paper venue is not rebuilt by a config change');
  assert.deepEqual(f.node.config!.risk.rules['RULE-001'], { limit: 2 });
  assert.deepEqual(f.node.config!.risk.rules['RULE-003'], { limit: '500' }, 'the looser limit waits');
  const yaml = await f.app.inject({
    method: 'PUT',
    url: '/api/v1/config',
    headers: { 'x-api-key': f.k.admin, 'content-type': 'application/yaml' },
    payload: 'risk:\n  rules:\n    RULE-001: { limit: nope }\n',
  });
  assert.equal(yaml.statusCode, 400);
  assert.equal(yaml.json().error.problems[0].path, 'risk.rules.RULE-001.limit');
});

test('GET /instruments: built-ins with decimal strings and point values', async () => {
  const r = await f.call('GET', '/api/v1/instruments', f.k.viewer);
  assert.equal(r.statusCode, 200);
  const mes = r.json().instruments.find((i: { symbol: string }) => i.symbol === 'MES');
  assert.deepEqual(mes, {
    symbol: 'MES',
    tickSize: '0.25',
    tickValue: '1.25',
    pointValue: '5',
    currency: 'USD',
    source: 'built-in',
  });
  assert.equal((await f.call('GET', '/api/v1/instruments')).statusCode, 401);
});

test('API keys: admin creates (key shown once), lists (no secrets), revokes; others 403', async () => {
  for (const key of [f.k.trader, f.k.viewer])
    assert.equal((await f.call('GET', '/api/v1/admin/apikeys', key)).statusCode, 403);
  const created = await f.call('POST', '/api/v1/admin/apikeys', f.k.admin, {
    role: 'viewer',
    accounts: ['A2'],
    label: 'dash',
  });
  assert.equal(created.statusCode, 201, created.body);
  const { key, info } = created.json();
  assert.equal((await f.call('GET', '/api/v1/accounts/A2/risk', key)).statusCode, 200);
  assert.equal((await f.call('GET', '/api/v1/accounts/A1/risk', key)).statusCode, 404);
  const list = await f.call('GET', '/api/v1/admin/apikeys', f.k.admin);
  assert.ok(list.json().keys.some((k: { id: string }) => k.id === info.id));
  // The secret is everything after `rg_<id>_` (it may itself contain '_').
  const secret = (key as string).slice(`rg_${info.id}_`.length);
  assert.ok(secret.length >= 20 && !list.body.includes(secret), 'the secret is never listed');
  assert.match(
    (await f.call('POST', '/api/v1/admin/apikeys', f.k.admin, { role: 'trader' })).json().error.message,
    /accounts/,
  );
  assert.match(
    (await f.call('POST', '/api/v1/admin/apikeys', f.k.admin, { role: 'root' })).json().error.message,
    /^body\.role/,
  );
  const revoked = await f.call('DELETE', `/api/v1/admin/apikeys/${info.id}`, f.k.admin);
  assert.equal(revoked.statusCode, 200);
  assert.ok(revoked.json().revoked.revokedAt);
  assert.equal((await f.call('GET', '/api/v1/accounts/A2/risk', key)).statusCode, 401);
  assert.equal((await f.call('DELETE', '/api/v1/admin/apikeys/000000000000', f.k.admin)).statusCode, 404);
  assert.equal((await f.call('DELETE', '/api/v1/admin/apikeys/..%2F..', f.k.admin)).statusCode, 400);
});
