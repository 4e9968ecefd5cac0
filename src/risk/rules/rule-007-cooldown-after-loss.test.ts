import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev, breachesOf } from '../../../test/fixtures/scenario.ts';

const CFG = `
risk:
  rules:
    RULE-007: { tiers: [ { loss: "100", cooldown: "5m" }, { loss: "200", cooldown: "15m" }, { loss: "300", cooldown: "30m" } ] }
`;
const t = (hms: string) => `2026-04-07T${hms}Z`;

test('RULE-007: a −250 closing fill cools the account down 15 minutes of event time', () => {
  const s = scenario(CFG);
  s.feed(ev.fill(t('14:00:00.000'), 'A1', 'ES', 'buy', 1, '5200', '2.00'));
  // ES point value 50: 5 points = −250 gross (the fee is not part of the tier loss by default).
  const d = s.feed(ev.fill(t('14:05:00.000'), 'A1', 'ES', 'sell', 1, '5195', '2.00'));
  assert.equal(d.length, 1);
  assert.equal(d[0]!.rule, 'RULE-007');
  assert.equal(d[0]!.action, 'cooldown');
  assert.equal(d[0]!.until, t('14:20:00.000'));
  // 14m59s later an opening order is rejected…
  s.feed(ev.order(t('14:19:59.000'), 'A1', 'late', 'ES', 'buy', 1));
  // …and at 15m it passes.
  const ok = s.feed(ev.order(t('14:20:00.000'), 'A1', 'ok', 'ES', 'buy', 1));
  assert.deepEqual(ok, []);
  const day = s.report().accounts.A1!.days['2026-04-07']!;
  assert.deepEqual(day.rejections, [{ rule: 'RULE-007', ts: t('14:19:59.000'), orderId: 'late' }]);
  assert.deepEqual(breachesOf(s.report(), 'A1', '2026-04-07'), [`RULE-007@${t('14:05:00.000')}`]);
});

test('RULE-007: the biggest tier met wins; a loss below every tier or an opening fill does nothing', () => {
  const cooldownOf = (exit: string) => {
    const s = scenario(CFG);
    s.feed(
      ev.fill(t('14:00:00.000'), 'A1', 'ES', 'buy', 1, '5200'),
      ev.fill(t('14:01:00.000'), 'A1', 'ES', 'sell', 1, exit),
    );
    return s.decisions.find((x) => x.rule === 'RULE-007')?.until;
  };
  assert.equal(cooldownOf('5193'), t('14:31:00.000')); // −350 → 30m
  assert.equal(cooldownOf('5194'), t('14:31:00.000')); // −300 exactly reaches the 300 tier
  assert.equal(cooldownOf('5198'), t('14:06:00.000')); // −100 → 5m
  assert.equal(cooldownOf('5198.25'), undefined); // −87.50
  assert.equal(cooldownOf('5210'), undefined); // a win
});

test('RULE-007: includeFees adds the fill fee to the loss; risk-reducing orders pass during the cooldown', () => {
  const s = scenario(`
risk:
  rules:
    RULE-007: { includeFees: true, tiers: [ { loss: "100", cooldown: "5m" } ] }
`);
  s.feed(ev.fill(t('14:00:00.000'), 'A1', 'ES', 'buy', 2, '5200'));
  // −1.75 points × 1 × 50 = −87.50, plus 12.50 fee = 100 → tier reached only with fees.
  const d = s.feed(ev.fill(t('14:01:00.000'), 'A1', 'ES', 'sell', 1, '5198.25', '12.50'));
  assert.equal(d[0]?.until, t('14:06:00.000'));
  assert.deepEqual(
    s.feed(ev.order(t('14:02:00.000'), 'A1', 'close', 'ES', 'sell', 1)),
    [],
    'closing the rest is never blocked',
  );
  assert.equal(s.feed(ev.order(t('14:02:00.000'), 'A1', 'add', 'ES', 'buy', 1))[0]?.rule, 'RULE-007');
});
