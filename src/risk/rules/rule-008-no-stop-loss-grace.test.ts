import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev, breachesOf } from '../../../test/fixtures/scenario.ts';

const CFG = `
risk:
  rules:
    RULE-008: { grace: "10s" }
`;
const t = (hms: string) => `2026-04-07T${hms}Z`;
const stop = (ts: string, id: string, side: 'buy' | 'sell', orderType = 'stop') =>
  ev.order(ts, 'A1', id, 'MNQ', side, 1, { orderType, stopPrice: side === 'sell' ? '17990' : '18010' });

test('RULE-008: a position without a stop is closed at open + grace (ts = the deadline)', () => {
  const s = scenario(CFG);
  s.feed(ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'));
  assert.deepEqual(s.feed(ev.clock(t('14:00:09.999'))), []);
  const d = s.feed(ev.clock(t('14:00:30.000')));
  assert.equal(d.length, 1);
  assert.equal(d[0]!.rule, 'RULE-008');
  assert.equal(d[0]!.ts, t('14:00:10.000'));
  assert.equal(d[0]!.action, 'close_position');
  assert.deepEqual(d[0]!.outcomes, [{ kind: 'close_position', symbol: 'MNQ' }]);
  assert.deepEqual(breachesOf(s.report(), 'A1', '2026-04-07'), [`RULE-008@${t('14:00:10.000')}:MNQ`]);
});

test('RULE-008: a working stop on the protective side (any configured stop type) satisfies it', () => {
  for (const type of ['stop', 'stop_limit', 'trailing_stop']) {
    const s = scenario(CFG);
    s.feed(
      ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'),
      stop(t('14:00:05.000'), 's1', 'sell', type),
      ev.clock(t('14:01:00.000')),
    );
    assert.deepEqual(s.decisions, [], type);
  }
});

test('RULE-008: a stop on the wrong side, a limit order, or a cancelled stop does not count', () => {
  const cases: Record<string, unknown>[][] = [
    [stop(t('14:00:05.000'), 's1', 'buy')],
    [ev.order(t('14:00:05.000'), 'A1', 'l1', 'MNQ', 'sell', 1, { orderType: 'limit', price: '18020' })],
    [
      stop(t('14:00:05.000'), 's1', 'sell'),
      { ts: t('14:00:08.000'), type: 'order_status', account: 'A1', orderId: 's1', status: 'cancelled' },
    ],
  ];
  for (const extra of cases) {
    const s = scenario(CFG);
    s.feed(ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'), ...extra, ev.clock(t('14:01:00.000')));
    assert.deepEqual(
      s.decisions.map((d) => `${d.rule}@${d.ts}`),
      [`RULE-008@${t('14:00:10.000')}`],
    );
  }
});

test('RULE-008: closed before the deadline → nothing; a flip re-arms the grace from the flip; adding does not', () => {
  const closed = scenario(CFG);
  closed.feed(
    ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'),
    ev.fill(t('14:00:05.000'), 'A1', 'MNQ', 'sell', 1, '18001'),
    ev.clock(t('14:01:00.000')),
  );
  assert.deepEqual(closed.decisions, []);

  const flip = scenario(CFG);
  flip.feed(
    ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'),
    stop(t('14:00:01.000'), 's1', 'sell'),
    ev.fill(t('14:00:05.000'), 'A1', 'MNQ', 'sell', 2, '18001'), // long 1 → short 1: a new position
    ev.clock(t('14:01:00.000')),
  );
  // The sell stop does not protect a short: breach at the flip + 10 s.
  assert.deepEqual(
    flip.decisions.map((d) => `${d.rule}@${d.ts}`),
    [`RULE-008@${t('14:00:15.000')}`],
  );

  const add = scenario(CFG);
  add.feed(
    ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'),
    ev.fill(t('14:00:08.000'), 'A1', 'MNQ', 'buy', 1, '18000'),
    ev.clock(t('14:01:00.000')),
  );
  assert.deepEqual(
    add.decisions.map((d) => `${d.rule}@${d.ts}`),
    [`RULE-008@${t('14:00:10.000')}`],
  );
});

test('RULE-008: stopTypes restricts which orders count', () => {
  const s = scenario(`
risk:
  rules:
    RULE-008: { grace: "5s", stopTypes: [stop] }
`);
  s.feed(
    ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'),
    stop(t('14:00:01.000'), 's1', 'sell', 'trailing_stop'),
    ev.clock(t('14:01:00.000')),
  );
  assert.deepEqual(
    s.decisions.map((d) => `${d.rule}@${d.ts}`),
    [`RULE-008@${t('14:00:05.000')}`],
  );
});
