import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev, breachesOf } from '../../../test/fixtures/scenario.ts';

const cfg = (mode: string) => `
risk:
  rules:
    RULE-014: { limit: "1000", mode: ${mode} }
`;
const t = (hms: string) => `2026-04-07T${hms}Z`;
// NQ point value 20.
const open = (s: ReturnType<typeof scenario>) =>
  s.feed(ev.account(t('13:00:00.000'), 'A1', true, '50000'), ev.fill(t('14:00:00.000'), 'A1', 'NQ', 'buy', 1, '19000'));

test('RULE-014 intraday: the high-water mark trails every quote; HWM − equity > limit closes all and locks until admin', () => {
  const s = scenario(cfg('intraday'));
  open(s);
  assert.deepEqual(s.feed(ev.quote(t('14:01:00.000'), 'NQ', '19040')), []); // equity 50800 = HWM
  assert.deepEqual(s.feed(ev.quote(t('14:02:00.000'), 'NQ', '18990')), [], 'drawdown exactly 1000 is not a breach');
  const d = s.feed(ev.quote(t('14:03:00.000'), 'NQ', '18989.75')); // 1005
  assert.deepEqual(
    d.map((x) => `${x.rule}:${x.action}:${x.until}`),
    ['RULE-014:close_all:admin'],
  );
  assert.deepEqual(
    d[0]!.outcomes.map((o) => o.kind),
    ['cancel_orders', 'close_all', 'lockout'],
  );
  assert.deepEqual(breachesOf(s.report(), 'A1', '2026-04-07'), [`RULE-014@${t('14:03:00.000')}`]);
  // The lock outlives the reset: only an admin unlocks.
  assert.equal(s.feed(ev.order('2026-04-08T14:00:00.000Z', 'A1', 'x', 'NQ', 'buy', 1))[0]?.rule, 'RULE-014');
});

test('RULE-014 eod: the mark moves only at the reset, from the end-of-day equity', () => {
  const s = scenario(cfg('eod'));
  open(s);
  s.feed(ev.quote(t('14:01:00.000'), 'NQ', '19040'), ev.quote(t('14:03:00.000'), 'NQ', '18989.75'));
  assert.deepEqual(s.decisions, [], 'intraday peak does not count: 50000 − 49795 = 205');
  // Close the day at 19040 (equity 50800), held through the 22:00Z reset.
  s.feed(ev.quote(t('21:00:00.000'), 'NQ', '19040'), ev.clock('2026-04-08T13:00:00.000Z'));
  assert.deepEqual(s.feed(ev.quote('2026-04-08T14:00:00.000Z', 'NQ', '18990')), []);
  const d = s.feed(ev.quote('2026-04-08T14:01:00.000Z', 'NQ', '18989.75'));
  assert.deepEqual(
    d.map((x) => `${x.rule}@${x.ts}`),
    ['RULE-014@2026-04-08T14:01:00.000Z'],
  );
});

test('RULE-014: realized losses and fees count; a deposit does not reset the drawdown', () => {
  const s = scenario(cfg('intraday'));
  s.feed(
    ev.account(t('13:00:00.000'), 'A1', true, '50000'),
    ev.fill(t('14:00:00.000'), 'A1', 'NQ', 'buy', 1, '19000', '2.50'),
  );
  // Sell at 18950.25: −995 gross, −5 fees = −1000 net → exactly the limit.
  assert.deepEqual(s.feed(ev.fill(t('14:05:00.000'), 'A1', 'NQ', 'sell', 1, '18950.25', '2.50')), []);
  s.feed(ev.account(t('14:06:00.000'), 'A1', true, '60000'));
  const d = s.feed(ev.fill(t('14:10:00.000'), 'A1', 'NQ', 'buy', 1, '19000', '0.01'));
  assert.deepEqual(
    d.map((x) => x.rule),
    ['RULE-014'],
  );
  const rec = s.engine.account('A1');
  const dist = rec.rules[0]!.rule.distanceToLimit!(
    {
      now: 0,
      trigger: 'fill',
      account: rec.state,
      instruments: s.engine.instruments,
      nextReset: 0,
      markOf: (x) => s.engine.markOf(x),
      unrealizedOf: (p) => s.engine.unrealizedOf(p),
    },
    rec.rules[0]!.config,
  );
  assert.equal(dist[0]!.value, '1000.01');
  assert.equal(dist[0]!.remaining, '0');
});
