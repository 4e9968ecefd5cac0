import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyMessage, auditTrail, breachMarks, byTradingDay, emptyView, fromSnapshot } from './account-state.ts';
import type { AccountMessage, Risk } from './types.ts';

function risk(asOf: string, net: string, unrealized: string[]): Risk {
  return {
    account: 'A1',
    asOf,
    tradingDay: '2026-12-07',
    state: 'ACTIVE',
    canTrade: true,
    day: { grossRealizedPnl: net, fees: '0', netRealizedPnl: net, fills: 1 },
    lossRoom: '1000',
    locks: [],
    distances: [],
    positions: unrealized.map((u, i) => ({ symbol: `S${i}`, qty: 1, avgPrice: '1', unrealizedPnl: u })),
    stateReasons: [],
  };
}

const msg = (seq: number, channel: string, data: Record<string, unknown>): AccountMessage => ({
  seq,
  channel,
  account: 'A1',
  ts: '2026-12-07T15:00:00Z',
  data,
});

test('risk messages update the figures and draw equity (realized + unrealized), one point a second', () => {
  let v = emptyView('A1');
  v = applyMessage(v, msg(1, 'risk', { ...risk('2026-12-07T15:00:00.100Z', '-10', ['2.5']) }));
  v = applyMessage(v, msg(2, 'risk', { ...risk('2026-12-07T15:00:00.900Z', '-10', ['5']) }));
  v = applyMessage(v, msg(3, 'risk', { ...risk('2026-12-07T15:00:02Z', '-20', ['1', '2']) }));
  assert.deepEqual(v.equity, [
    { time: Date.parse('2026-12-07T15:00:00Z') / 1000, value: -5 },
    { time: Date.parse('2026-12-07T15:00:02Z') / 1000, value: -17 },
  ]);
  assert.equal(v.risk?.day.netRealizedPnl, '-20');
  assert.equal(v.positions.length, 2);
});

test('orders are upserted, fills and violations deduplicated, newest first', () => {
  let v = emptyView('A1');
  const order = { orderId: 'o1', symbol: 'MES', status: 'working', updatedAt: '2026-12-07T15:00:00Z' };
  v = applyMessage(v, msg(1, 'orders', order));
  v = applyMessage(v, msg(2, 'orders', { ...order, status: 'filled' }));
  const fill = { fillId: 'F1', orderId: 'o1', ts: '2026-12-07T15:00:00Z' };
  v = applyMessage(v, msg(3, 'fills', fill));
  v = applyMessage(v, msg(4, 'fills', fill));
  v = applyMessage(v, msg(5, 'fills', { ...fill, fillId: 'F2' }));
  assert.deepEqual(
    v.orders.map((o) => o.status),
    ['filled'],
  );
  assert.deepEqual(
    v.fills.map((f) => f.fillId),
    ['F2', 'F1'],
  );
});

test('a REST reload replaces the rows but keeps the equity curve drawn so far', () => {
  let v = applyMessage(emptyView('A1'), msg(1, 'risk', { ...risk('2026-12-07T15:00:00Z', '0', []) }));
  v = fromSnapshot(v, {
    risk: risk('2026-12-07T15:00:05Z', '-3', []),
    positions: [],
    orders: [],
    fills: [],
    violations: [
      { ts: '2026-12-07T15:00:01Z', account: 'A1', kind: 'breach', rule: 'RULE-003', action: 'close_all', reason: 'x' },
      { ts: '2026-12-07T15:00:03Z', account: 'A1', kind: 'admin', rule: 'ADMIN', action: 'unlock', reason: 'y' },
    ],
  });
  assert.equal(v.equity.length, 2);
  assert.equal(v.violations[0]!.kind, 'admin');
  assert.deepEqual(
    breachMarks(v.violations).map((b) => b.rule),
    ['RULE-003'],
  );
  assert.deepEqual(
    auditTrail(v.violations).map((a) => a.reason),
    ['y'],
  );
  const days = byTradingDay(v.violations, (iso) => (iso < '2026-12-07T15:00:02Z' ? 'D1' : 'D2'));
  assert.deepEqual(
    days.map((d) => [d.day, d.rows.length]),
    [
      ['D2', 1],
      ['D1', 1],
    ],
  );
});

test('a locks message replaces the locks of the current risk figures', () => {
  let v = applyMessage(emptyView('A1'), msg(1, 'risk', { ...risk('2026-12-07T15:00:00Z', '0', []) }));
  const lock = { rule: 'ADMIN', kind: 'lockout', until: 'admin', since: '2026-12-07T15:00:00Z', reason: 'r' };
  v = applyMessage(v, msg(2, 'locks', { locks: [lock] }));
  assert.deepEqual(v.risk?.locks, [lock]);
});
