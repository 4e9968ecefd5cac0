/**
 * Given `newOrders: { perSecond, burst }` in the config, opening orders beyond the burst are refused
 * by the gateway (GATEWAY RATE_LIMITED); without it the default (20) holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { fromInt } from '../domain/money.ts';
import { TradingNode } from './node.ts';

async function burstOf(yaml: string, orders: number): Promise<{ routed: number; codes: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-new-orders-'));
  const config = configSchema.parse(parse(`${yaml}paper: { accounts: [ { id: A1, balance: "1000000" } ] }\n`));
  // A clock that never moves: the bucket does not refill during the burst.
  const node = await TradingNode.build({ config, dataDir: dir, feed: false, now: () => 1_800_000_000_000 });
  try {
    await node.start({ feed: false });
    let routed = 0;
    const codes: string[] = [];
    for (let i = 0; i < orders; i++) {
      const r = await node.submitOrder({
        account: 'A1',
        symbol: 'MES',
        side: 'buy',
        qty: fromInt(1),
        type: 'limit',
        limitPrice: fromInt(1),
        clientOrderId: `o${i}`,
      });
      if (r.status === 'routed') routed += 1;
      else codes.push(...r.codes);
    }
    return { routed, codes: [...new Set(codes)] };
  } finally {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

test('newOrders from the config sizes the new-order lane', async () => {
  const tight = await burstOf('newOrders: { perSecond: 1, burst: 3 }\n', 6);
  assert.equal(tight.routed, 3);
  assert.deepEqual(tight.codes, ['RATE_LIMITED']);
  const loose = await burstOf('', 6);
  assert.equal(loose.routed, 6, 'the default burst (20) lets six through');
});

test('newOrders rejects a zero rate or burst, naming the field', () => {
  const r = configSchema.safeParse(parse('newOrders: { perSecond: 0, burst: 0 }\n'));
  assert.equal(r.success, false);
  const paths = r.error!.issues.map((i) => i.path.join('.'));
  assert.deepEqual(paths.sort(), ['newOrders.burst', 'newOrders.perSecond']);
});
