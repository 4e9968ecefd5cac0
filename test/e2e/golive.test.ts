/**
 * `riskgate golive check` end to end (issue 18): a shadow store passes the checklist only with
 * enough clean shadow days, an alert delivered on every configured channel, a reconciliation
 * without an uncleared mismatch and a journal that verifies; each failure names what is missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAlerts } from '../../src/alerts/index.ts';
import { silentLogger } from '../../src/node/logger.ts';
import { goLiveOf } from '../../src/node/golive-store.ts';
import type { GoLiveResult } from '../../src/node/golive.ts';
import { boot, qty, type Rig } from './gateway-harness.ts';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const cli = (...args: string[]) =>
  spawnSync('node', ['bin/riskgate.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

const CONFIG = `
risk: { rules: { RULE-003: { limit: "500" } } }
accounts: { A1: { stage: shadow } }
golive: { shadowDays: 2 }
alerts: { channels: [ { kind: log } ] }
`;

async function tradeDay(rig: Rig, iso: string): Promise<void> {
  rig.clock.set(iso);
  await rig.node.tick();
  rig.quote('MES', '5000.00', '5000.25');
  for (const side of ['buy', 'sell'] as const)
    await rig.node.submitOrder({ account: 'A1', symbol: 'MES', side, qty: qty(1), type: 'market' });
  await rig.node.idle();
}

const item = (r: GoLiveResult, id: string) => r.items.find((i) => i.id === id)!;

test('golive check: fails for missing shadow days and alert deliveries, passes once both are there, fails on an uncleared mismatch', async (t) => {
  let rig = await boot(t, CONFIG, { start: '2026-03-03T15:00:00.000Z', node: { mode: 'shadow' } });
  await tradeDay(rig, '2026-03-03T15:00:00.000Z');
  let r = goLiveOf(rig.node, 'A1', { now: rig.clock.now() });
  assert.equal(r.ready, false);
  assert.deepEqual([r.stage, r.next], ['shadow', 'paper']);
  assert.equal(item(r, 'shadow_days').ok, false, 'the day in progress is not a complete shadow day');
  assert.match(item(r, 'shadow_days').missing.join('\n'), /2 more complete shadow day/);
  assert.deepEqual(item(r, 'alerts').missing, ['log#1: no alert delivered yet']);
  assert.equal(item(r, 'reconciliation').ok, true);
  assert.equal(item(r, 'journal').ok, true);

  await tradeDay(rig, '2026-03-04T15:00:00.000Z');
  await tradeDay(rig, '2026-03-05T15:00:00.000Z');
  r = goLiveOf(rig.node, 'A1', { now: rig.clock.now() });
  assert.equal(item(r, 'shadow_days').ok, true, item(r, 'shadow_days').detail);
  assert.equal(r.ready, false, 'alerts still undelivered');
  rig.node.commit();
  const notReady = cli('golive', 'check', 'A1', '--data-dir', rig.dataDir);
  assert.equal(notReady.status, 1, notReady.stderr + notReady.stdout);
  assert.match(notReady.stdout, /MISSING alerts: 0 of 1 channel\(s\) delivered\n\s+- log#1: no alert delivered yet/);

  const alerts = startAlerts(rig.node, rig.node.config!.alerts, silentLogger(), rig.clock.now, {
    dataDir: rig.dataDir,
  })!;
  alerts.router.raise({ kind: 'budget', severity: 'info', account: 'A1', message: 'delivery test' });
  await alerts.router.idle();
  alerts.stop();
  r = goLiveOf(rig.node, 'A1', { now: rig.clock.now() });
  assert.equal(r.ready, true, JSON.stringify(r.items));
  const ready = cli('golive', 'check', 'A1', '--data-dir', rig.dataDir);
  assert.equal(ready.status, 0, ready.stdout + ready.stderr);
  assert.match(ready.stdout, /ready: every check passed/);

  // The venue trades while riskgate is down: the start-up reconcile finds and adopts a mismatch.
  rig = await rig.restart(async () => {
    await rig.paper.connect();
    await rig.paper.placeOrder({
      account: 'A1',
      clientOrderId: 'behind',
      symbol: 'MES',
      side: 'buy',
      qty: qty(1),
      type: 'market',
    });
  });
  r = goLiveOf(rig.node, 'A1', { now: rig.clock.now() });
  assert.equal(item(r, 'reconciliation').ok, false);
  assert.match(item(r, 'reconciliation').missing[0]!, /position mismatch MES/);
  rig.clock.advance(1_000);
  await rig.node.reconcile();
  r = goLiveOf(rig.node, 'A1', { now: rig.clock.now() });
  assert.equal(item(r, 'reconciliation').ok, true, 'a clean pass clears it');
  // The mismatch day is not a clean shadow day once it is over.
  rig.clock.set('2026-03-06T15:00:00.000Z');
  await rig.node.tick();
  rig.node.commit();
  const three = cli('golive', 'check', 'A1', '--data-dir', rig.dataDir, '--days', '3', '--json');
  assert.equal(three.status, 1);
  const days = (JSON.parse(three.stdout) as GoLiveResult).items.find((i) => i.id === 'shadow_days')!;
  assert.equal(days.detail, '2 of 3 clean shadow day(s) (2026-03-03 … 2026-03-04)');
  assert.match(days.missing[0]!, /^2026-03-05: .*mismatch/);
});
