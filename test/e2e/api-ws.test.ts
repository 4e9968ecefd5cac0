/**
 * The API and the WebSocket of a real `riskgate start` (paper broker) over real ports, as a bot
 * or the dashboard uses them: orders placed over HTTP, their fills and a daily-loss breach arriving
 * live, a disconnect, a resume that delivers exactly what was missed, and an admin unlock.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { riskgate } from '../fixtures/cli.ts';
import { startNode } from '../fixtures/running-node.ts';
import { WsClient, op, type WsMessage } from '../fixtures/ws-client.ts';

/** A daily loss limit one ES spread (12.50) exceeds; quotes every 2 s so both legs fill on one. */
const CONFIG = `
risk:
  rules:
    RULE-003: { limit: '10' }
paper:
  accounts: [{ id: PAPER-1, balance: '50000' }]
`;
const CHANNELS = ['fills', 'orders', 'positions', 'violations', 'locks', 'risk'];

async function createKey(dataDir: string, role: string, accounts?: string): Promise<string> {
  const args = ['admin', 'apikey', 'create', '--role', role, '--data-dir', dataDir];
  const r = await riskgate(accounts ? [...args, '--accounts', accounts] : args);
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').pop()!.trim();
}

async function subscribe(url: string, key: string, since?: number): Promise<{ c: WsClient; ack: WsMessage }> {
  const c = await WsClient.open(url.replace(/^http/, 'ws') + '/ws', { 'x-api-key': key });
  await c.next(op('authenticated'));
  c.send({ op: 'subscribe', channels: CHANNELS, accounts: ['PAPER-1'], ...(since === undefined ? {} : { since }) });
  const ack = await c.next((m) => m.op === 'subscribed' || m.op === 'error');
  assert.equal(ack.op, 'subscribed', JSON.stringify(ack));
  return { c, ack };
}

type Json = Record<string, unknown>;

function api(url: string, key: string) {
  return async (method: string, route: string, body?: unknown): Promise<{ status: number; json: Json }> => {
    const res = await fetch(url + route, {
      method,
      headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: (await res.json()) as Json };
  };
}

test('orders over HTTP, fills and a breach live over WS, disconnect, resume from seq, admin unlock', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rg-api-ws-'));
  writeFileSync(path.join(dataDir, 'riskgate.yaml'), CONFIG);
  const config = path.join(dataDir, 'riskgate.yaml');
  const gateway = await startNode(['--no-demo', '--config', config, '--data-dir', dataDir, '--feed-ms', '2000']);
  const clients: WsClient[] = [];
  try {
    const url = /"msg":"API on (http:\/\/[^ ]+) /.exec(gateway.output())?.[1];
    assert.ok(url, gateway.output());
    const trader = api(url, await createKey(dataDir, 'trader', 'PAPER-1'));
    const admin = api(url, await createKey(dataDir, 'admin'));
    const { c: live } = await subscribe(url, await createKey(dataDir, 'viewer', 'PAPER-1'));
    clients.push(live);
    const watcherKey = await createKey(dataDir, 'trader', 'PAPER-1');
    const { c: first } = await subscribe(url, watcherKey);
    clients.push(first);

    // Both legs go in before the next quote, so the round trip loses exactly one spread.
    const order = (side: string, qty: string, id: string) =>
      trader('POST', '/api/v1/orders', {
        account: 'PAPER-1',
        symbol: 'ES',
        side,
        qty,
        orderType: 'market',
        clientOrderId: id,
      });
    const buy = await order('buy', '2', 'e2e-buy');
    assert.equal(buy.status, 201, JSON.stringify(buy.json));
    assert.equal((await order('sell', '1', 'e2e-sell')).status, 201);
    const again = await order('buy', '2', 'e2e-buy');
    assert.equal(again.json['orderId'], buy.json['orderId'], 'a retried clientOrderId is the same order');

    const breach = await first.next(
      (m) => m.channel === 'violations' && /RULE-003/.test(JSON.stringify(m.data)),
      20_000,
    );
    await first.next((m) => m.channel === 'locks' && JSON.stringify(m.data).includes('RULE-003'), 10_000);
    const fills = first.data('PAPER-1').filter((m) => m.channel === 'fills');
    assert.equal(fills.filter((f) => f.seq! < breach.seq!).length, 2, 'both legs filled before the breach');
    const lastSeen = first.data('PAPER-1').at(-1)!.seq!;
    first.close();

    // While disconnected: the account is locked, and an admin unlocks it with a reason.
    const refused = await order('buy', '1', 'e2e-locked');
    assert.equal(refused.status, 409, JSON.stringify(refused.json));
    assert.equal((refused.json['error'] as Json)['code'], 'ERR_ORDER_REJECTED');
    const unlocked = await admin('POST', '/api/v1/admin/accounts/PAPER-1/unlock', { reason: 'e2e review done' });
    assert.equal(unlocked.status, 200, JSON.stringify(unlocked.json));
    const risk = await trader('GET', '/api/v1/accounts/PAPER-1/risk');
    assert.deepEqual(risk.json['locks'], []);
    const open = async () =>
      ((await trader('GET', '/api/v1/accounts/PAPER-1/positions')).json['positions'] as Json[]).length;
    for (let waited = 0; (await open()) > 0 && waited < 15_000; waited += 250)
      await new Promise((r) => setTimeout(r, 250));
    assert.equal(await open(), 0, 'the breach flattened the account');

    // Resume: exactly what the live viewer saw after lastSeen on these channels, in order.
    await live.next((m) => m.channel === 'locks' && m.seq! > lastSeen && !JSON.stringify(m.data).includes('RULE-003'));
    const { c: resumed } = await subscribe(url, watcherKey, lastSeen);
    clients.push(resumed);
    const missed = live.data('PAPER-1').filter((m) => m.seq! > lastSeen);
    assert.ok(missed.length > 0);
    for (const want of missed) assert.deepEqual(await resumed.next((m) => m.op === undefined), want);
    assert.deepEqual(
      resumed.messages.filter((m) => m.op === 'resync'),
      [],
    );
    const after = await order('buy', '1', 'e2e-after-unlock');
    assert.equal(after.status, 201, 'unlocked: opening orders pass again');
    await resumed.next((m) => m.channel === 'fills' && m.seq! > missed.at(-1)!.seq!, 20_000);
  } finally {
    for (const c of clients) c.close();
    assert.equal(await gateway.stop(), 0, gateway.output());
  }
});
