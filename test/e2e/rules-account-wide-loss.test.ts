/**
 * End to end through `riskgate replay`: RULE-003 adds realized P&L over every symbol of the
 * account. Daily loss limit 500: MNQ −200, NQ −250, ES −100 → −550 fires on the ES close with
 * close_all until the next reset; −500 exactly does not fire.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ev } from '../fixtures/scenario.ts';
import { replay } from './rules-replay-cli.ts';

const CONFIG = `
risk:
  rules:
    RULE-003: { limit: "500" }
`;

const day = (esExit: string) => [
  ev.fill('2026-04-07T14:00:00.000Z', 'A1', 'MNQ', 'buy', 1, '18000'),
  ev.fill('2026-04-07T14:10:00.000Z', 'A1', 'MNQ', 'sell', 1, '17900'), // −100 × 2 = −200
  ev.fill('2026-04-07T15:00:00.000Z', 'A1', 'NQ', 'sell', 1, '19000'),
  ev.fill('2026-04-07T15:20:00.000Z', 'A1', 'NQ', 'buy', 1, '19012.50'), // −12.5 × 20 = −250
  ev.fill('2026-04-07T18:00:00.000Z', 'A1', 'ES', 'buy', 1, '5200'),
  ev.fill('2026-04-07T19:00:00.000Z', 'A1', 'ES', 'sell', 1, esExit),
];

test('e2e account-wide loss: −550 over MNQ, NQ and ES fires RULE-003 on the ES close until the next reset', () => {
  const { report, decisions } = replay(CONFIG, day('5198')); // −2 × 50 = −100
  const d = report.accounts.A1!.days['2026-04-07']!;
  assert.equal(d.netRealizedPnl, '-550');
  assert.deepEqual(d.breaches, [
    { rule: 'RULE-003', ts: '2026-04-07T19:00:00.000Z', action: 'close_all', until: '2026-04-07T22:00:00.000Z' },
  ]);
  const b = decisions.filter((x) => x.kind === 'breach');
  assert.equal(b.length, 1);
  assert.deepEqual(
    b[0]!.outcomes.map((o) => o.kind),
    ['cancel_orders', 'close_all', 'lockout'],
  );
});

test('e2e account-wide loss: −500 exactly is not a breach', () => {
  const { report, decisions } = replay(CONFIG, day('5199')); // −50
  const d = report.accounts.A1!.days['2026-04-07']!;
  assert.equal(d.netRealizedPnl, '-500');
  assert.deepEqual(d.breaches, []);
  assert.deepEqual(decisions, []);
});
