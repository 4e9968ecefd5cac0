/**
 * GET /api/v1/admin/audit: admin locks, unlocks and config changes (which no account's stream
 * carries) from the journal, newest first, with who / when / what / why; admin keys only.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, type Fixture } from './test-fixture.ts';

interface Entry {
  seq: number;
  ts: string;
  kind: string;
  account: string;
  who: string;
  what: string;
  why: string;
}

let f: Fixture;
let adminId: string;
const audit = async (query = '', key = f.k.admin) => f.call('GET', `/api/v1/admin/audit${query}`, key);

before(async () => {
  f = await fixture();
  adminId = f.keys.verify(f.k.admin)!.id;
  const ok = (r: { statusCode: number; body: string }) => assert.equal(r.statusCode, 200, r.body);
  ok(await f.call('POST', '/api/v1/admin/accounts/A1/lock', f.k.admin, { reason: 'desk review' }));
  ok(await f.call('POST', '/api/v1/admin/accounts/A1/unlock', f.k.admin, { reason: 'review done' }));
  const next = structuredClone((await f.call('GET', '/api/v1/config', f.k.admin)).json().config);
  next.risk.rules['RULE-001'] = { limit: 2 };
  ok(
    await f.call('PUT', `/api/v1/config?reason=${encodeURIComponent('fewer contracts in CPI week')}`, f.k.admin, next),
  );
});

after(async () => f?.close());

test('locks, unlocks and config changes, newest first, each with who, when, what and why', async () => {
  const res = await audit();
  assert.equal(res.statusCode, 200, res.body);
  const entries = (res.json() as { entries: Entry[] }).entries;
  assert.deepEqual(
    entries.map((e) => [e.kind, e.account, e.who, e.why]),
    [
      ['config', '*', `api:${adminId}`, 'fewer contracts in CPI week'],
      ['unlock', 'A1', `api:${adminId}`, 'review done'],
      ['lock', 'A1', `api:${adminId}`, 'desk review'],
    ],
  );
  assert.equal(entries[0]!.what, 'config change: risk.rules.RULE-001.limit');
  assert.ok(entries[0]!.seq > entries[1]!.seq && entries[1]!.seq > entries[2]!.seq);
  for (const e of entries) assert.match(e.ts, /^\d{4}-\d\d-\d\dT/);
});

test('from and limit: the newest entries at or after a time', async () => {
  const all = (await audit()).json().entries as Entry[];
  assert.deepEqual(
    ((await audit('?limit=1')).json().entries as Entry[]).map((e) => e.kind),
    ['config'],
  );
  const since = (await audit(`?from=${all[0]!.ts}`)).json().entries as Entry[];
  assert.ok(since.length >= 1 && since.every((e) => e.ts >= all[0]!.ts), JSON.stringify(since));
  assert.deepEqual((await audit('?from=2999-01-01')).json().entries, []);
  assert.equal((await audit('?from=yesterday')).statusCode, 400);
  assert.equal((await audit('?limit=-1')).statusCode, 400);
});

test("a config change without a reason keeps the engine's summary as why", async () => {
  const next = structuredClone((await f.call('GET', '/api/v1/config', f.k.admin)).json().config);
  next.risk.rules['RULE-003'] = { limit: '400' };
  assert.equal((await f.call('PUT', '/api/v1/config', f.k.admin, next)).statusCode, 200);
  const [latest] = (await audit('?limit=1')).json().entries as Entry[];
  assert.equal(latest!.what, 'config change: risk.rules.RULE-003.limit');
  assert.match(latest!.why, /^config change: stricter limits in force now/);
});

test('admin keys only: traders and viewers get 403, no key 401', async () => {
  for (const key of [f.k.trader, f.k.viewer, f.k.trader2]) assert.equal((await audit('', key)).statusCode, 403);
  assert.equal((await f.call('GET', '/api/v1/admin/audit')).statusCode, 401);
});
