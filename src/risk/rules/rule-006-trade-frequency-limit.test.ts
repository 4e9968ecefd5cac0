import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev, breachesOf } from '../../../test/fixtures/scenario.ts';

const CFG = `
risk:
  rules:
    RULE-006: { perMinute: 3, cooldowns: { minute: "60s" } }
`;
// 2026-04-07 is a Tuesday; 14:00Z = 09:00 CDT.
const t = (hms: string) => `2026-04-07T${hms}Z`;

test('RULE-006: the fill of the 4th order within a minute starts a 60 s cooldown; partial fills count once', () => {
  const s = scenario(CFG);
  s.feed(
    ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000', undefined, 'o1'),
    ev.fill(t('14:00:10.000'), 'A1', 'MNQ', 'sell', 1, '18000', undefined, 'o2'),
    ev.fill(t('14:00:20.000'), 'A1', 'MNQ', 'buy', 1, '18000', undefined, 'o3'),
    // o3 filled again (partial fill of the same order): still 3 orders
    ev.fill(t('14:00:25.000'), 'A1', 'MNQ', 'buy', 1, '18000', undefined, 'o3'),
  );
  assert.deepEqual(s.decisions, []);
  const d = s.feed(ev.fill(t('14:00:50.000'), 'A1', 'MNQ', 'sell', 1, '18000', undefined, 'o4'));
  assert.equal(d.length, 1);
  assert.equal(d[0]!.rule, 'RULE-006');
  assert.equal(d[0]!.action, 'cooldown');
  assert.equal(d[0]!.until, t('14:01:50.000'));
  assert.deepEqual(breachesOf(s.report(), 'A1', '2026-04-07'), [`RULE-006@${t('14:00:50.000')}`]);
  // During the cooldown an opening order is rejected with RULE-006; at its end it passes.
  const r1 = s.feed(ev.order(t('14:01:49.999'), 'A1', 'x1', 'MNQ', 'buy', 1));
  assert.deepEqual(
    r1.map((x) => `${x.kind}:${x.rule}`),
    ['rejection:RULE-006'],
  );
  const r2 = s.feed(ev.order(t('14:01:50.000'), 'A1', 'x2', 'MNQ', 'buy', 1));
  assert.deepEqual(r2, []);
});

test('RULE-006: the minute window is (t − 60 s, t]', () => {
  const fills = (last: string) => {
    const s = scenario(CFG);
    s.feed(
      ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000', undefined, 'o1'),
      ev.fill(t('14:00:10.000'), 'A1', 'MNQ', 'sell', 1, '18000', undefined, 'o2'),
      ev.fill(t('14:00:20.000'), 'A1', 'MNQ', 'buy', 1, '18000', undefined, 'o3'),
      ev.fill(last, 'A1', 'MNQ', 'sell', 1, '18000', undefined, 'o4'),
    );
    return s.decisions.filter((d) => d.rule === 'RULE-006').length;
  };
  assert.equal(fills(t('14:00:59.999')), 1, 'o1 still inside the window');
  assert.equal(fills(t('14:01:00.000')), 0, 'o1 at exactly t − 60 s is outside');
});

test('RULE-006: per-session limit cools down until the next reset, then counts start again', () => {
  const s = scenario(`
risk:
  rules:
    RULE-006: { perSession: 2, cooldowns: { session: reset } }
`);
  s.feed(
    ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000', undefined, 'o1'),
    ev.fill(t('15:00:00.000'), 'A1', 'MNQ', 'sell', 1, '18000', undefined, 'o2'),
  );
  const d = s.feed(ev.fill(t('20:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000', undefined, 'o3'));
  // Next reset: 17:00 CDT = 22:00Z.
  assert.equal(d[0]?.until, t('22:00:00.000'));
  assert.equal(s.feed(ev.order(t('21:59:59.000'), 'A1', 'x1', 'MNQ', 'buy', 1))[0]?.rule, 'RULE-006');
  assert.deepEqual(s.feed(ev.order(t('22:00:00.000'), 'A1', 'x2', 'MNQ', 'buy', 1)), []);
  // New trading day: two more filled orders are within the limit again.
  s.feed(
    ev.fill(t('22:01:00.000'), 'A1', 'MNQ', 'sell', 1, '18000', undefined, 'o4'),
    ev.fill(t('22:02:00.000'), 'A1', 'MNQ', 'buy', 1, '18000', undefined, 'o5'),
  );
  assert.equal(s.decisions.filter((x) => x.rule === 'RULE-006').length, 2); // the breach + the rejection
});

test('RULE-006: the tightest window is reported as distance', () => {
  const s = scenario(`
risk:
  rules:
    RULE-006: { perMinute: 3, perHour: 4 }
`);
  s.feed(
    ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000', undefined, 'o1'),
    ev.fill(t('14:10:00.000'), 'A1', 'MNQ', 'sell', 1, '18000', undefined, 'o2'),
  );
  const rec = s.engine.account('A1');
  const rule = rec.rules.find((r) => r.rule.id === 'RULE-006')!;
  const ctx = {
    now: Date.parse(t('14:10:00.000')),
    trigger: 'fill',
    account: rec.state,
    instruments: s.engine.instruments,
    nextReset: 0,
    markOf: () => undefined,
    unrealizedOf: () => 0n,
  } as const;
  const dist = rule.rule.distanceToLimit!(ctx, rule.config);
  assert.equal(dist.length, 1);
  assert.equal(dist[0]!.usedPct, 50); // 2 of 4 per hour beats 1 of 3 per minute
});
