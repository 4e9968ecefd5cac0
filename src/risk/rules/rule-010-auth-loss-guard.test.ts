import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev, breachesOf } from '../../../test/fixtures/scenario.ts';

const CFG = `
risk:
  rules:
    RULE-010: {}
`;
const t = (hms: string) => `2026-04-07T${hms}Z`;

test('RULE-010: canTrade=false closes all and locks until canTrade=true releases it', () => {
  const s = scenario(CFG);
  s.feed(ev.account(t('13:00:00.000'), 'A1', true), ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'));
  const d = s.feed(ev.account(t('14:05:00.000'), 'A1', false));
  assert.equal(d.length, 1);
  assert.equal(d[0]!.rule, 'RULE-010');
  assert.equal(d[0]!.action, 'close_all');
  assert.equal(d[0]!.until, 'canTrade');
  assert.deepEqual(
    d[0]!.outcomes.map((o) => o.kind),
    ['cancel_orders', 'close_all', 'lockout'],
  );
  assert.deepEqual(breachesOf(s.report(), 'A1', '2026-04-07'), [`RULE-010@${t('14:05:00.000')}`]);

  // Locked: opening orders are rejected, even hours later (no timed expiry)…
  assert.equal(s.feed(ev.order(t('20:00:00.000'), 'A1', 'x1', 'MNQ', 'buy', 1))[0]?.rule, 'RULE-010');
  // …but closing the position is never blocked.
  assert.deepEqual(s.feed(ev.order(t('20:00:01.000'), 'A1', 'c1', 'MNQ', 'sell', 1)), []);
  // The broker says the account can trade again: unlocked.
  const u = s.feed(ev.account(t('20:10:00.000'), 'A1', true));
  assert.deepEqual(
    u.map((x) => `${x.kind}:${x.rule}`),
    ['unlock:RULE-010'],
  );
  assert.deepEqual(s.feed(ev.order(t('20:11:00.000'), 'A1', 'x2', 'MNQ', 'buy', 1)), []);
});

test('RULE-010: the lock survives the daily reset; an account event without canTrade does not unlock', () => {
  const s = scenario(CFG);
  s.feed(ev.account(t('14:05:00.000'), 'A1', false), {
    ts: t('23:00:00.000'),
    type: 'account',
    account: 'A1',
    balance: '49000',
  });
  assert.equal(s.feed(ev.order('2026-04-08T14:00:00.000Z', 'A1', 'x1', 'MNQ', 'buy', 1))[0]?.rule, 'RULE-010');
  assert.deepEqual(s.engine.account('A1').state.locks.get('RULE-010')?.until, 'canTrade');
});
