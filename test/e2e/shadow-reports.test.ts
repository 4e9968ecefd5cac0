/**
 * Shadow mode and daily reports end to end (issue 18): a shadow node trades through the paper
 * venue, its rules breach and lock without enforcing anything, and at the trading-day reset the
 * daily report files say what riskgate would have done; a limited-live account is held to its
 * contract cap by RULE-001.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '../../src/node/logger.ts';
import { DailyReportWriter } from '../../src/node/daily-report-files.ts';
import type { DailyReport } from '../../src/node/daily-report.ts';
import { boot, qty } from './gateway-harness.ts';

const RULES = 'risk:\n  rules:\n    RULE-003: { limit: "50" }\n';

test('shadow mode: the loss breach locks and would flatten, nothing is enforced, and the reset writes the day’s reports', async (t) => {
  // 14:00 CT on Tuesday 2026-03-03: the trading day ends at 17:00 CT (23:00Z).
  const rig = await boot(t, RULES, { start: '2026-03-03T20:00:00.000Z', node: { mode: 'shadow' } });
  const { node } = rig;
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-reports-'));
  const writer = new DailyReportWriter(node, dir, silentLogger());
  assert.deepEqual(writer.check(), [], 'nothing happened the day before');
  rig.quote('MES', '5000.00', '5000.25');
  const buy = { account: 'A1', symbol: 'MES', side: 'buy', qty: qty(2), type: 'market' } as const;
  assert.equal((await node.submitOrder({ ...buy, clientOrderId: 'b1' })).status, 'routed');
  rig.clock.advance(60_000);
  rig.quote('MES', '4990.00', '4990.25');
  const sell = await node.submitOrder({ ...buy, side: 'sell', clientOrderId: 's1' });
  assert.equal(sell.status, 'routed');
  await node.idle();
  rig.clock.advance(60_000);
  // Locked by RULE-003 in shadow mode too: an order the trader places at the venue is reported
  // as a rejection, and left working and filled (riskgate only watches).
  await rig.paper.placeOrder({
    account: 'A1',
    clientOrderId: 'b2',
    symbol: 'MES',
    side: 'buy',
    qty: qty(1),
    type: 'market',
  });
  await node.idle();
  assert.equal(rig.records('enforcement').length, 0, 'shadow mode enforces nothing');
  assert.equal(
    (await rig.paper.getPositions('A1')).length,
    1,
    'the venue keeps the position riskgate would have closed',
  );
  assert.deepEqual(writer.check(), [], 'no reset yet');

  rig.clock.set('2026-03-03T23:00:01.000Z');
  await node.tick();
  const files = writer.check();
  assert.deepEqual(files.map((f) => path.relative(dir, f)).sort(), [
    'A1/2026-03-03.csv',
    'A1/2026-03-03.fills.csv',
    'A1/2026-03-03.html',
    'A1/2026-03-03.json',
  ]);
  const r = JSON.parse(readFileSync(path.join(dir, 'A1', '2026-03-03.json'), 'utf8')) as DailyReport;
  assert.equal(r.mode, 'shadow');
  assert.equal(r.complete, true);
  assert.equal(r.trades, 3);
  assert.ok(Number(r.netRealizedPnl) < -50, r.netRealizedPnl);
  assert.equal(r.wouldHave.lockedAt?.rule, 'RULE-003');
  assert.equal(r.wouldHave.flattenedAt?.rule, 'RULE-003');
  assert.deepEqual(
    r.rejections.map((x) => x.orderId),
    ['b2'],
  );
  assert.ok(Number(r.maxDrawdown) > 50, r.maxDrawdown);
  assert.equal(r.slippage.fills, 3);
  assert.ok(r.fills.every((f) => f.expectedPrice !== undefined));
  assert.match(readFileSync(path.join(dir, 'A1', '2026-03-03.html'), 'utf8'), /Would have locked at/);
  assert.deepEqual(writer.check(), [], 'one report per reset');

  // On demand, the next day has started from zero: the open position is carried, not its trades.
  const today = node.dailyReport('A1');
  assert.equal(today.date, '2026-03-04');
  assert.equal(today.trades, 0);
  assert.equal(today.wouldHave.lockedAt, undefined);
  assert.ok(existsSync(path.join(dir, 'A1', '2026-03-03.csv')));
});

test('limited live: the account is held to its contract cap (default 1) by RULE-001, rejected with its code', async (t) => {
  const rig = await boot(t, 'accounts:\n  A1: { stage: limited }\n', { start: '2026-03-03T15:00:00.000Z' });
  const { node } = rig;
  rig.quote('MES', '5000.00', '5000.25');
  const order = (n: number, id: string) =>
    node.submitOrder({ account: 'A1', symbol: 'MES', side: 'buy', qty: qty(n), type: 'market', clientOrderId: id });
  const two = await order(2, 'two');
  assert.equal(two.status, 'rejected');
  assert.deepEqual(two.status === 'rejected' && two.rules, ['RULE-001']);
  assert.equal((await order(1, 'one')).status, 'routed');
  const more = await order(1, 'more');
  assert.deepEqual(more.status === 'rejected' && more.rules, ['RULE-001']);
  // Closing is never blocked (invariant 1).
  const close = await node.submitOrder({ account: 'A1', symbol: 'MES', side: 'sell', qty: qty(1), type: 'market' });
  assert.equal(close.status, 'routed');
});
