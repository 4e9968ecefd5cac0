/**
 * End to end through `riskgate replay`: breach → lock → a new opening order is rejected → the
 * reset releases the lock → trading again is accepted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ev } from '../fixtures/scenario.ts';
import { replay } from './rules-replay-cli.ts';

const CONFIG = `
timezone: America/Chicago
resetTime: "17:00"
risk:
  rules:
    RULE-003: { limit: "500" }
    RULE-007: { tiers: [ { loss: "100", cooldown: "5m" } ] }
`;

// Tuesday 2026-04-07; the reset is 17:00 CDT = 22:00Z, after which the day is 2026-04-08.
const EVENTS = [
  ev.order('2026-04-07T14:00:00.000Z', 'A1', 'o1', 'MNQ', 'buy', 2),
  ev.fill('2026-04-07T14:00:00.100Z', 'A1', 'MNQ', 'buy', 2, '18000', '0.74', 'o1'),
  ev.order('2026-04-07T14:30:00.000Z', 'A1', 'o2', 'MNQ', 'sell', 2),
  // −150 points × 2 × 2 = −600 gross, −601.48 net: RULE-003 (and RULE-007's cooldown).
  ev.fill('2026-04-07T14:30:00.100Z', 'A1', 'MNQ', 'sell', 2, '17850', '0.74', 'o2'),
  // An hour later the cooldown is over, the daily lock is not.
  ev.order('2026-04-07T15:30:00.000Z', 'A1', 'o3', 'MNQ', 'buy', 1),
  ev.fill('2026-04-07T15:30:00.100Z', 'A1', 'MNQ', 'buy', 1, '17860', '0.37', 'o3'),
  ev.order('2026-04-07T21:59:59.999Z', 'A1', 'o4', 'MNQ', 'buy', 1),
  // After the reset.
  ev.order('2026-04-07T22:00:00.000Z', 'A1', 'o5', 'MNQ', 'buy', 1),
  ev.fill('2026-04-07T22:00:00.100Z', 'A1', 'MNQ', 'buy', 1, '17870', '0.37', 'o5'),
];

test('e2e violation flow (enforce): breach → lock → opening order rejected → reset → accepted again', () => {
  const { report, decisions } = replay(CONFIG, EVENTS, 'enforce');
  const a = report.accounts.A1!;
  const tue = a.days['2026-04-07']!;
  assert.deepEqual(
    tue.breaches.map((b) => `${b.rule}@${b.ts}:${b.action}:${b.until}`),
    [
      'RULE-003@2026-04-07T14:30:00.100Z:close_all:2026-04-07T22:00:00.000Z',
      'RULE-007@2026-04-07T14:30:00.100Z:cooldown:2026-04-07T14:35:00.100Z',
    ],
  );
  assert.deepEqual(tue.rejections, [
    { rule: 'RULE-003', ts: '2026-04-07T15:30:00.000Z', orderId: 'o3' },
    { rule: 'RULE-003', ts: '2026-04-07T21:59:59.999Z', orderId: 'o4' },
  ]);
  // Enforce mode: the rejected order never reached the broker, so its fill is not booked.
  assert.equal(tue.fills, 2);
  assert.equal(tue.netRealizedPnl, '-601.48');
  const wed = a.days['2026-04-08']!;
  assert.deepEqual(wed.rejections, []);
  assert.deepEqual(wed.breaches, []);
  assert.equal(wed.fills, 1);
  assert.deepEqual(a.positions.MNQ?.qty, 1);
  const breach = decisions.find((d) => d.kind === 'breach' && d.rule === 'RULE-003')!;
  assert.deepEqual(
    breach.outcomes.map((o) => o.kind),
    ['cancel_orders', 'close_all', 'lockout'],
  );
});

test('e2e violation flow (shadow): the same rejections are reported, recorded fills stay facts', () => {
  const { report } = replay(CONFIG, EVENTS, 'shadow');
  const tue = report.accounts.A1!.days['2026-04-07']!;
  assert.deepEqual(
    tue.rejections.map((r) => `${r.rule}:${r.orderId}`),
    ['RULE-003:o3', 'RULE-003:o4'],
  );
  assert.equal(tue.fills, 3);
  assert.deepEqual(report.accounts.A1!.days['2026-04-08']!.rejections, []);
  assert.deepEqual(report.accounts.A1!.positions.MNQ?.qty, 2);
});
