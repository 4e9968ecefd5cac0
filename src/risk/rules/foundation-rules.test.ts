/** Scenario tests for RULE-001, 002, 003, 004, 005, 011, 013: given fills/quotes, then decisions. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev, breachesOf } from '../../../test/fixtures/scenario.ts';

const T = (hhmm: string) => `2026-04-07T${hhmm}:00.000Z`;

test('RULE-001: gross open contracts above the limit trims the traded symbol; opening orders over it are rejected', () => {
  const s = scenario('risk: { rules: { RULE-001: { limit: 3 } } }');
  s.feed(ev.fill(T('14:00'), 'A', 'MNQ', 'buy', 2, '18000'), ev.fill(T('14:01'), 'A', 'ES', 'sell', 1, '5200'));
  assert.deepEqual(s.decisions, []);
  const d = s.feed(ev.fill(T('14:02'), 'A', 'ES', 'sell', 1, '5200'));
  assert.equal(d.length, 1);
  assert.equal(d[0]!.action, 'trim');
  assert.equal(d[0]!.symbol, 'ES');
  assert.deepEqual(d[0]!.outcomes, [{ kind: 'trim', symbol: 'ES', toQty: -1n * 10n ** 18n }]);
  // An order that reduces is never blocked; one that opens is.
  assert.deepEqual(s.feed(ev.order(T('14:03'), 'A', 'r1', 'ES', 'buy', 1)), []);
  const rej = s.feed(ev.order(T('14:04'), 'A', 'o2', 'MNQ', 'buy', 1));
  assert.equal(rej[0]?.kind, 'rejection');
  assert.equal(rej[0]?.rule, 'RULE-001');
});

test('RULE-001 net count and close_all action; pre-trade projects working orders on the same side', () => {
  const s = scenario('risk: { rules: { RULE-001: { limit: 2, count: net, action: close_all } } }');
  s.feed(ev.fill(T('14:00'), 'A', 'MNQ', 'buy', 2, '18000'), ev.fill(T('14:01'), 'A', 'MES', 'sell', 2, '5200'));
  assert.deepEqual(s.decisions, []); // net 0
  const d = s.feed(ev.fill(T('14:02'), 'A', 'MNQ', 'buy', 3, '18000'));
  assert.equal(d[0]?.action, 'close_all');
  const p = scenario('risk: { rules: { RULE-001: { limit: 3 } } }');
  p.feed(ev.order(T('14:00'), 'A', 'w1', 'MNQ', 'buy', 2, { orderType: 'limit', price: '17990' }));
  assert.deepEqual(p.decisions, []);
  const rej = p.feed(ev.order(T('14:01'), 'A', 'w2', 'MNQ', 'buy', 2, { orderType: 'limit', price: '17980' }));
  assert.equal(rej[0]?.rule, 'RULE-001', 'working 2 + new 2 > 3');
});

test('RULE-002: per-root limits over all contract months; unknown symbols blocked by default', () => {
  const s = scenario('risk: { rules: { RULE-002: { limits: { MNQ: 2 } } } }');
  s.feed(ev.fill(T('14:00'), 'A', 'MNQZ6', 'buy', 1, '18000'), ev.fill(T('14:01'), 'A', 'MNQH7', 'buy', 1, '18100'));
  assert.deepEqual(s.decisions, []);
  const d = s.feed(ev.fill(T('14:02'), 'A', 'MNQH7', 'buy', 1, '18100'));
  assert.equal(d[0]?.rule, 'RULE-002');
  assert.equal(d[0]?.symbol, 'MNQH7');
  const u = s.feed(ev.fill(T('14:03'), 'A', 'ES', 'buy', 1, '5200'));
  assert.equal(u[0]?.action, 'close_position', 'ES has no limit: block');
  const allow = scenario('risk: { rules: { RULE-002: { limits: { MNQ: 2 }, unknownSymbol: allow } } }');
  allow.feed(ev.fill(T('14:03'), 'A', 'ES', 'buy', 5, '5200'));
  assert.deepEqual(allow.decisions, []);
  const num = scenario('risk: { rules: { RULE-002: { unknownSymbol: 1 } } }');
  assert.equal(num.feed(ev.order(T('14:03'), 'A', 'x', 'ES', 'buy', 2))[0]?.rule, 'RULE-002');
});

test('RULE-003: account-wide daily loss 500: −200, −250, −100 fires on the ES close (−550); −500 exactly does not', () => {
  const cfg = 'risk: { rules: { RULE-003: { limit: "500" } } }';
  const s = scenario(cfg);
  s.feed(
    ev.fill(T('14:00'), 'A', 'MNQ', 'buy', 1, '18000'),
    ev.fill(T('14:05'), 'A', 'MNQ', 'sell', 1, '17900'), // −200
    ev.fill(T('14:10'), 'A', 'NQ', 'buy', 1, '18000'),
    ev.fill(T('14:15'), 'A', 'NQ', 'sell', 1, '17987.5'), // −250
    ev.fill(T('14:20'), 'A', 'ES', 'buy', 1, '5200'),
  );
  assert.deepEqual(s.decisions, []);
  const d = s.feed(ev.fill(T('14:25'), 'A', 'ES', 'sell', 1, '5198')); // −100 → −550
  assert.equal(d.length, 1);
  assert.equal(d[0]!.rule, 'RULE-003');
  assert.equal(d[0]!.action, 'close_all');
  assert.equal(d[0]!.until, '2026-04-07T22:00:00.000Z');
  assert.deepEqual(
    d[0]!.outcomes.map((o) => o.kind),
    ['cancel_orders', 'close_all', 'lockout'],
  );
  // Locked: opening orders are rejected until the reset, then accepted again.
  assert.equal(s.feed(ev.order(T('15:00'), 'A', 'o9', 'MNQ', 'buy', 1))[0]?.rule, 'RULE-003');
  assert.deepEqual(s.feed(ev.order('2026-04-07T22:00:00.000Z', 'A', 'o10', 'MNQ', 'buy', 1)), []);
  const r = s.report();
  assert.equal(r.accounts.A!.days['2026-04-07']!.netRealizedPnl, '-550');
  assert.deepEqual(r.accounts.A!.days['2026-04-07']!.rejections, [
    { rule: 'RULE-003', ts: '2026-04-07T15:00:00.000Z', orderId: 'o9' },
  ]);

  const exact = scenario(cfg);
  exact.feed(ev.fill(T('14:00'), 'A', 'ES', 'buy', 1, '5200'), ev.fill(T('14:05'), 'A', 'ES', 'sell', 1, '5190')); // −500
  assert.deepEqual(exact.decisions, []);
  // An opening fill's fee tips it over.
  const fee = exact.feed(ev.fill(T('14:06'), 'A', 'ES', 'buy', 1, '5190', '0.01'));
  assert.equal(fee[0]?.rule, 'RULE-003');
  const gross = scenario('risk: { rules: { RULE-003: { limit: "500", includeFees: false } } }');
  gross.feed(
    ev.fill(T('14:00'), 'A', 'ES', 'buy', 1, '5200', '5'),
    ev.fill(T('14:05'), 'A', 'ES', 'sell', 1, '5190', '5'),
  );
  assert.deepEqual(gross.decisions, []);
});

test('RULE-004 / RULE-005: per-position unrealized loss and profit on quotes; re-evaluated at the reset', () => {
  const s = scenario('risk: { rules: { RULE-004: { limit: "150" }, RULE-005: { target: "1000" } } }');
  s.feed(ev.fill(T('14:00'), 'A', 'ES', 'buy', 1, '5200'), ev.quote(T('14:01'), 'ES', '5197'));
  assert.deepEqual(s.decisions, []); // −150 is not a breach
  const d = s.feed(ev.quote(T('14:02'), 'ES', '5196.75'));
  assert.equal(d[0]?.rule, 'RULE-004');
  assert.equal(d[0]?.symbol, 'ES');
  s.feed(ev.quote(T('14:03'), 'ES', '5180'));
  assert.deepEqual(
    breachesOf(s.report(), 'A', '2026-04-07'),
    ['RULE-004@2026-04-07T14:02:00.000Z:ES'],
    'first breach per day only',
  );
  // Carried into the next day: a breach of that day at the reset.
  s.feed(ev.clock('2026-04-07T23:00:00.000Z'));
  assert.deepEqual(breachesOf(s.report(), 'A', '2026-04-08'), ['RULE-004@2026-04-07T22:00:00.000Z:ES']);
  const p = s.feed(
    ev.fill('2026-04-08T14:00:00.000Z', 'B', 'NQ', 'buy', 1, '19000'),
    ev.quote('2026-04-08T14:01:00.000Z', 'NQ', '19050'),
  );
  assert.equal(p.find((x) => x.account === 'B')?.rule, 'RULE-005', '+1000 reaches the target');
});

test('RULE-011: blocked patterns match symbol or root, case-insensitively; closing fills never breach', () => {
  const s = scenario('risk: { rules: { RULE-011: { blocked: ["cl*", "6?"] } } }');
  assert.equal(s.feed(ev.order(T('14:00'), 'A', 'o1', 'CLZ6', 'buy', 1))[0]?.rule, 'RULE-011');
  const d = s.feed(ev.fill(T('14:01'), 'A', 'CLZ6', 'buy', 1, '70'));
  assert.equal(d[0]?.action, 'close_position');
  assert.deepEqual(s.feed(ev.fill(T('14:02'), 'A', 'CLZ6', 'sell', 1, '70')), []);
  assert.deepEqual(s.feed(ev.order(T('14:03'), 'A', 'o2', 'MNQ', 'buy', 1)), []);
});

test('RULE-013: daily profit target reached closes all and locks until the reset', () => {
  const s = scenario('risk: { rules: { RULE-013: { target: "150" } } }');
  s.feed(ev.fill(T('14:00'), 'A', 'MES', 'buy', 2, '5200'));
  const d = s.feed(ev.fill(T('14:05'), 'A', 'MES', 'sell', 2, '5215'));
  assert.equal(d[0]?.rule, 'RULE-013');
  assert.equal(d[0]?.until, '2026-04-07T22:00:00.000Z');
});

test('per-account overrides replace global keys key by key', () => {
  const s = scenario(`
risk: { rules: { RULE-003: { limit: "100", includeFees: false } } }
accounts: { B: { risk: { rules: { RULE-003: { limit: "1000" } } } } }`);
  s.feed(ev.fill(T('14:00'), 'A', 'ES', 'buy', 1, '5200'), ev.fill(T('14:01'), 'A', 'ES', 'sell', 1, '5190', '3'));
  s.feed(ev.fill(T('14:02'), 'B', 'ES', 'buy', 1, '5200'), ev.fill(T('14:03'), 'B', 'ES', 'sell', 1, '5190', '3'));
  assert.deepEqual(
    s.decisions.map((d) => d.account),
    ['A'],
  );
});
