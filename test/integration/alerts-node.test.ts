/**
 * Alerts from a real trading node (paper broker, injected clock) to a real local webhook receiver:
 * a daily-loss breach raises the breach, its lockout, the trading-state change, the 100 % rung of the
 * ladder and the confirmed flatten, all signed.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { PaperBroker } from '../../src/adapters/paper/index.ts';
import { startAlerts } from '../../src/alerts/index.ts';
import { configSchema } from '../../src/config/schema.ts';
import { fromInt, parseFixed } from '../../src/domain/money.ts';
import { silentLogger } from '../../src/node/logger.ts';
import { TradingNode } from '../../src/node/node.ts';
import { httpReceiver } from '../fixtures/alert-receivers.ts';

test('a daily-loss breach on a running node reaches the webhook as breach, lockout, trading-state, distance and enforcement alerts', async () => {
  const http = await httpReceiver();
  const config = configSchema.parse(
    parse(`
risk:
  rules:
    RULE-003: { limit: "100" }
paper:
  accounts: [ { id: A1, balance: "50000" } ]
alerts:
  channels: [ { kind: webhook, url: "${http.url}/rg", secretEnv: RG_TEST_SECRET } ]
`),
  );
  let t = Date.parse('2026-03-03T15:00:00.000Z');
  const now = (): number => t;
  const paper = new PaperBroker({ accounts: [{ id: 'A1', balance: fromInt(50000) }] });
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-alerts-'));
  const node = await TradingNode.build({
    config,
    dataDir: dir,
    now,
    feed: false,
    random: () => 0.5,
    reconcileMs: 3_600_000,
    broker: paper,
    logger: silentLogger(),
  });
  const alerts = startAlerts(node, config.alerts, silentLogger(), now, {
    env: { RG_TEST_SECRET: 's3cret' },
    delivery: { attempts: 2, baseDelayMs: 10 },
  });
  assert.ok(alerts);
  await node.start();
  const quote = (bid: string): void =>
    paper.feedQuote({
      symbol: 'MES',
      ts: t,
      bid: parseFixed(bid),
      ask: parseFixed(bid) + parseFixed('0.25'),
      last: parseFixed(bid),
    });
  try {
    quote('5000');
    assert.equal(
      (
        await node.submitOrder({
          account: 'A1',
          symbol: 'MES',
          side: 'buy',
          qty: fromInt(2),
          type: 'market',
          clientOrderId: 'b1',
        })
      ).status,
      'routed',
    );
    t += 1000;
    quote('4988');
    t += 1000;
    assert.equal(
      (
        await node.submitOrder({
          account: 'A1',
          symbol: 'MES',
          side: 'sell',
          qty: fromInt(2),
          type: 'market',
          clientOrderId: 's1',
        })
      ).status,
      'routed',
    );
    await new Promise((r) => setTimeout(r, 50));
    await alerts.router.idle();
    const bodies = http.received.map((r) => {
      const ts = String(r.headers['x-riskgate-timestamp']);
      assert.equal(
        r.headers['x-riskgate-signature'],
        `sha256=${createHmac('sha256', 's3cret').update(`${ts}.${r.body}`).digest('hex')}`,
      );
      return JSON.parse(r.body) as { kind: string; severity: string; account: string; rule?: string };
    });
    const seen = bodies.map((b) => `${b.kind} ${b.severity} ${b.rule ?? '-'}`);
    for (const expected of [
      'breach critical RULE-003',
      'lockout critical RULE-003',
      'trading_state warning -',
      'distance critical RULE-003',
      'enforcement_confirmed info RULE-003',
    ])
      assert.ok(seen.includes(expected), `${expected} in ${JSON.stringify(seen)}`);
    assert.ok(bodies.every((b) => b.account === 'A1'));
  } finally {
    alerts.stop();
    await node.stop('test');
    await http.close();
  }
});
