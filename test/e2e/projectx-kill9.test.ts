/**
 * Kill -9 mid-flatten against the fake ProjectX Gateway (DESIGN §1 invariants 2 and 3): a real
 * `riskgate start` breaches its daily loss limit, sends the flatten, and is killed with SIGKILL
 * after the venue carried the close out but before its answer arrived. Restarted on the same data
 * dir, it books the close's fill, confirms the flatten from the venue's positions and sends
 * nothing again: the venue saw exactly one close, the account is flat and stays locked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeProjectX, type FakeProjectX } from '../../src/adapters/projectx/fake/server.ts';
import { TradingNode } from '../../src/node/node.ts';
import { repo } from '../fixtures/cli.ts';

interface Gateway {
  child: ChildProcess;
  output(): string;
  url: string;
  key: string;
}

async function until<T>(what: string | (() => string), f: () => T | undefined | false, ms = 30_000): Promise<T> {
  for (let waited = 0; waited < ms; waited += 25) {
    const v = f();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
}

async function startGateway(cfg: string, dataDir: string): Promise<Gateway> {
  const child = spawn(
    process.execPath,
    ['bin/riskgate.mjs', 'start', '--port', '0', '--no-demo', '--config', cfg, '--data-dir', dataDir],
    { cwd: repo, env: { ...process.env, PX_KEY: 'key-123' } },
  );
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (out += b.toString()));
  const url = await until(
    () => `the API (output so far: ${out})`,
    () => child.exitCode === null && /"msg":"API on (http:\/\/[^ ]+)/.exec(out)?.[1],
  );
  const key = readFileSync(path.join(dataDir, 'local-admin.key'), 'utf8').trim();
  return { child, output: () => out, url, key };
}

async function api(
  g: Gateway,
  method: string,
  route: string,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${g.url}${route}`, {
    method,
    headers: { 'x-api-key': g.key, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: await res.json() };
}

const venuePosition = (fake: FakeProjectX): bigint => fake.venue.paper.exchange.positionQty('7001', 'MNQ');

test('kill -9 mid-flatten at a ProjectX venue: after restart the flatten completes exactly once', async (t) => {
  const fake = await startFakeProjectX();
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-kill9-px-'));
  const gateways: Gateway[] = [];
  t.after(async () => {
    for (const g of gateways) if (g.child.exitCode === null && g.child.signalCode === null) g.child.kill('SIGKILL');
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const cfg = path.join(dir, 'riskgate.yaml');
  writeFileSync(
    cfg,
    `risk:
  rules:
    RULE-003: { limit: "10" }
broker:
  kind: projectx
  baseUrl: ${fake.url}
  marketHubUrl: ${fake.marketHubUrl}
  username: trader
  apiKeyEnv: PX_KEY
  accounts: { "7001": TX1 }
`,
  );
  const dataDir = path.join(dir, 'data');
  await fake.setMarket('MNQ', '100.00', '100.25');
  const first = await startGateway(cfg, dataDir);
  gateways.push(first);
  assert.match(first.output(), /daily loss limit not mirrored at the venue: the ProjectX Gateway API has no endpoint/);

  const buy = await api(first, 'POST', '/api/v1/orders', {
    account: 'TX1',
    symbol: 'MNQ',
    side: 'buy',
    qty: 2,
    orderType: 'market',
  });
  assert.equal(buy.status, 201, JSON.stringify(buy.json));
  assert.equal(venuePosition(fake), 2n * 10n ** 18n);

  // Selling 1 at 90.00 realizes −20.50 (> the 10 limit): RULE-003 flattens. The venue carries every
  // order out at once but answers Order/place only after 3 s, so the flatten's answer is in flight.
  await fake.setMarket('MNQ', '90.00', '90.25');
  fake.faults.slowPaths['Order/place'] = 3000;
  const sell = api(first, 'POST', '/api/v1/orders', {
    account: 'TX1',
    symbol: 'MNQ',
    side: 'sell',
    qty: 1,
    orderType: 'market',
  });
  await until('the losing sell at the venue', () => venuePosition(fake) === 10n ** 18n);
  await until('the flatten carried out at the venue', () => venuePosition(fake) === 0n, 20_000);
  first.child.kill('SIGKILL');
  await new Promise((r) => first.child.once('exit', r));
  await sell.catch(() => undefined); // its connection died with the gateway
  assert.equal(fake.venue.orderCount(7001), 3, 'buy, losing sell, one flatten close');

  const dead = TradingNode.open({ dataDir, readOnly: true });
  const before = dead
    .journal({ kind: 'enforcement', account: 'TX1', limit: 10_000 })
    .map((e) => `${String(e.body.kind)} ${String(e.body.status)}`);
  dead.close();
  assert.ok(before.includes('close_all sent'), before.join(', '));
  assert.ok(!before.includes('close_all confirmed'), 'killed mid-flatten: sent, not confirmed');

  fake.faults.slowPaths = {};
  const second = await startGateway(cfg, dataDir);
  gateways.push(second);
  const reader = TradingNode.open({ dataDir, readOnly: true });
  t.after(() => reader.close());
  const enforcements = () => reader.journal({ kind: 'enforcement', account: 'TX1', limit: 10_000 });
  const flatten = await until('the flatten confirmed after the restart', () =>
    enforcements().find((e) => e.body.kind === 'close_all' && e.body.status === 'confirmed'),
  );
  assert.equal(flatten.body.rule, 'RULE-003');
  await new Promise((r) => setTimeout(r, 500)); // a second close would be sent right after confirmation

  assert.equal(fake.venue.orderCount(7001), 3, 'no order sent again after the restart');
  const closes = fake.venue
    .ordersJson(7001, false)
    .filter((o) => String((o as { customTag?: string }).customTag).includes('close_all'));
  assert.equal(closes.length, 1, 'exactly one close per position at the venue');
  assert.equal(fake.log.filter((l) => l.path === 'Position/closeContract').length, 0);
  assert.equal(venuePosition(fake), 0n, 'flat at the venue');
  const sent = enforcements().filter((e) => e.body.kind === 'close_all' && e.body.status === 'sent');
  assert.equal(sent.length, 1, 'one close sent, before the kill');

  const positions = await api(second, 'GET', '/api/v1/accounts/TX1/positions');
  assert.deepEqual(positions.json, { positions: [] }, 'riskgate booked the close: flat');
  const risk = (await api(second, 'GET', '/api/v1/accounts/TX1/risk')).json as { locks: { rule: string }[] };
  assert.ok(
    risk.locks.some((l) => l.rule === 'RULE-003'),
    'the daily-loss lockout survived the kill',
  );
  const mismatches = reader.journal({ kind: 'alert', account: 'TX1' }).filter((a) => a.body.rule === 'RECONCILE');
  assert.deepEqual(mismatches, [], 'the close was booked from its fill, not adopted by reconciliation');

  second.child.kill('SIGTERM');
  await new Promise((r) => second.child.once('exit', r));
});
