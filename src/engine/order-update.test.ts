/**
 * `order_update` (DESIGN §4): a change of a working order that adds exposure is checked like a new
 * order, one that only reduces risk never is; a rejected change cancels the order.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev } from '../../test/fixtures/scenario.ts';
import { parseEvent, type OrderUpdateEvent } from '../domain/events.ts';
import { stateHash } from './snapshot.ts';

const T = (hhmm: string) => `2026-04-07T${hhmm}:00.000Z`;
const DAY = '2026-04-07';
const update = (ts: string, orderId: string, change: Record<string, unknown>, account = 'A') => ({
  ts,
  type: 'order_update',
  account,
  orderId,
  ...change,
});
const limitBuy = (ts: string, orderId: string, qty: number, extra: Record<string, unknown> = {}) =>
  ev.order(ts, 'A', orderId, 'MNQ', 'buy', qty, { orderType: 'limit', price: '18000', ...extra });
const MAX_3 = 'risk: { rules: { RULE-001: { limit: 3 } } }';
/** A loss room of 100 (RULE-003) that RULE-015 measures orders against: MNQ is 2 per point. */
const ROOM_100 = 'risk: { rules: { RULE-003: { limit: "100" }, RULE-015: {} } }';

describe('order_update', () => {
  it('more quantity on an opening order is checked: rejected, it cancels the order and is listed under rejections', () => {
    const s = scenario(MAX_3);
    assert.deepEqual(s.feed(ev.quote(T('14:00'), 'MNQ', '18000'), limitBuy(T('14:01'), 'o1', 2)), []);
    const d = s.feed(update(T('14:02'), 'o1', { qty: 4 }));
    assert.equal(d.length, 1);
    assert.equal(d[0]!.kind, 'rejection');
    assert.equal(d[0]!.rule, 'RULE-001');
    assert.equal(d[0]!.orderId, 'o1');
    assert.deepEqual(d[0]!.outcomes, [
      { kind: 'reject', orderId: 'o1', code: 'MAX_CONTRACTS' },
      { kind: 'cancel_order', orderId: 'o1' },
    ]);
    assert.match(
      d[0]!.reason,
      /change of order o1 rejected, order cancelled: order would bring open contracts to 4 > 3/,
    );
    assert.deepEqual(s.report().accounts.A!.days[DAY]!.rejections, [
      { rule: 'RULE-001', ts: T('14:02'), orderId: 'o1' },
    ]);
    // The cancelled order no longer counts: a new order of 3 fits.
    assert.deepEqual(s.feed(limitBuy(T('14:03'), 'o2', 3)), []);
  });

  it('the changed order is not counted twice: its new quantity replaces the old one in the projection', () => {
    const s = scenario(MAX_3);
    s.feed(ev.quote(T('14:00'), 'MNQ', '18000'), limitBuy(T('14:01'), 'o1', 2));
    assert.deepEqual(s.feed(update(T('14:02'), 'o1', { qty: 3 })), [], '3 in all, not 2 + 3');
    // The change is applied: a later order projects over the 3 now working.
    const d = s.feed(limitBuy(T('14:03'), 'o2', 1));
    assert.deepEqual(
      d.map((x) => [x.rule, x.orderId]),
      [['RULE-001', 'o2']],
    );
  });

  it('less quantity, a limit moved, or a stop moved closer are never checked, even on a locked account', () => {
    const s = scenario('risk: { rules: { RULE-001: { limit: 3 }, RULE-003: { limit: "100" } } }');
    s.feed(ev.quote(T('14:00'), 'MNQ', '18000'), limitBuy(T('14:01'), 'o1', 3, { stopPrice: '17950' }));
    // A loss of 101 on another symbol locks the account (RULE-003).
    const lock = s.feed(
      ev.fill(T('14:02'), 'A', 'ES', 'buy', 1, '5200'),
      ev.fill(T('14:03'), 'A', 'ES', 'sell', 1, '5197.98'),
    );
    assert.equal(lock[0]?.rule, 'RULE-003');
    assert.deepEqual(s.feed(update(T('14:04'), 'o1', { qty: 2 })), []);
    assert.deepEqual(
      s.feed(update(T('14:05'), 'o1', { price: '18010' })),
      [],
      'a more aggressive limit adds no exposure',
    );
    assert.deepEqual(s.feed(update(T('14:06'), 'o1', { stopPrice: '17990' })), [], 'a stop closer to the market');
    const order = s.engine.accounts.get('A')!.state.orders.get('o1')!;
    assert.deepEqual(
      [order.qty, order.price, order.stopPrice, order.rejected],
      [2_000_000_000_000_000_000n, 18_010_000_000_000_000_000_000n, 17_990_000_000_000_000_000_000n, false],
    );
    // More quantity on the locked account: rejected by the lock.
    const d = s.feed(update(T('14:07'), 'o1', { qty: 3 }));
    assert.deepEqual(
      d.map((x) => [x.rule, x.outcomes[0]]),
      [['RULE-003', { kind: 'reject', orderId: 'o1', code: 'LOCKED' }]],
    );
  });

  it('a stop moved away from the market is checked: a worst-case loss beyond the loss room is rejected (RULE-015)', () => {
    const s = scenario(ROOM_100);
    s.feed(ev.quote(T('14:00'), 'MNQ', '18000'));
    assert.deepEqual(
      s.feed(limitBuy(T('14:01'), 'o1', 1, { stopPrice: '17960' })),
      [],
      'a loss of 80 fits the room of 100',
    );
    assert.deepEqual(s.feed(update(T('14:02'), 'o1', { stopPrice: '17955' })), [], 'a loss of 90 still fits');
    const d = s.feed(update(T('14:03'), 'o1', { stopPrice: '17945' }));
    assert.deepEqual(
      d.map((x) => [x.rule, x.outcomes.map((o) => o.kind)]),
      [['RULE-015', ['reject', 'cancel_order']]],
    );
    assert.match(d[0]!.reason, /worst-case loss 110 to stop 17945 > loss room 100/);
    // A sell's stop moves away upwards.
    const sell = scenario(ROOM_100);
    sell.feed(
      ev.quote(T('14:00'), 'MNQ', '18000'),
      ev.order(T('14:01'), 'A', 's1', 'MNQ', 'sell', 1, { orderType: 'limit', price: '18000', stopPrice: '18040' }),
    );
    assert.deepEqual(sell.feed(update(T('14:02'), 's1', { stopPrice: '18030' })), []);
    assert.equal(sell.feed(update(T('14:03'), 's1', { stopPrice: '18060' }))[0]?.rule, 'RULE-015');
  });

  it('a closing order is never checked, unless the change makes it open a position', () => {
    const s = scenario(MAX_3);
    s.feed(
      ev.quote(T('14:00'), 'MNQ', '18000'),
      ev.fill(T('14:01'), 'A', 'MNQ', 'buy', 3, '18000'),
      ev.order(T('14:02'), 'A', 'x1', 'MNQ', 'sell', 1, { orderType: 'stop', stopPrice: '17950' }),
    );
    assert.deepEqual(
      s.feed(update(T('14:03'), 'x1', { qty: 3, stopPrice: '17900' })),
      [],
      'still closing: never blocked',
    );
    const d = s.feed(update(T('14:04'), 'x1', { qty: 8 }));
    assert.deepEqual(
      d.map((x) => x.rule),
      ['RULE-001'],
      'a flip to short 5 opens',
    );
  });

  it('enforce mode: the cancelled order fills no more; shadow: its recorded fills are facts', () => {
    const events = [
      ev.quote(T('14:00'), 'MNQ', '18000'),
      limitBuy(T('14:01'), 'o1', 2),
      update(T('14:02'), 'o1', { qty: 5 }),
      ev.fill(T('14:03'), 'A', 'MNQ', 'buy', 5, '18000', undefined, 'o1'),
    ];
    const enforce = scenario(MAX_3, 'enforce');
    enforce.feed(...events);
    assert.deepEqual(enforce.report().accounts.A!.positions, {});
    assert.equal(enforce.engine.accounts.get('A')!.state.orders.size, 0, 'the fills complete the cancelled order');
    const shadow = scenario(MAX_3, 'shadow');
    shadow.feed(...events);
    assert.equal(shadow.report().accounts.A!.positions.MNQ?.qty, 5);
    assert.deepEqual(shadow.report().accounts.A!.days[DAY]!.rejections, [
      { rule: 'RULE-001', ts: T('14:02'), orderId: 'o1' },
    ]);
  });

  it('a change of an unknown or ended order does nothing; one that leaves nothing to fill ends the order', () => {
    const s = scenario(MAX_3);
    s.feed(
      ev.quote(T('14:00'), 'MNQ', '18000'),
      limitBuy(T('14:01'), 'o1', 3),
      ev.fill(T('14:02'), 'A', 'MNQ', 'buy', 1, '18000', undefined, 'o1'),
    );
    assert.deepEqual(s.feed(update(T('14:03'), 'nope', { qty: 9 }), update(T('14:03'), 'o1', { qty: 9 }, 'B')), []);
    assert.deepEqual(s.feed(update(T('14:04'), 'o1', { qty: 1 })), []);
    assert.equal(s.engine.accounts.get('A')!.state.orders.has('o1'), false);
  });

  it('an accepted change that adds exposure uses the new-order lane (RULE-016 rate); one that reduces risk does not', () => {
    const s = scenario('risk: { rules: { RULE-016: { maxOrdersPerSecond: 2 } } }');
    const at = (ms: number) => `2026-04-07T14:00:00.${String(ms).padStart(3, '0')}Z`;
    s.feed(ev.quote(at(0), 'MNQ', '18000'), limitBuy(at(0), 'o1', 1));
    assert.deepEqual(
      s.feed(update(at(100), 'o1', { qty: 1 }), update(at(200), 'o1', { qty: 2 })),
      [],
      'the second of 2 in the second',
    );
    assert.deepEqual(
      s.feed(limitBuy(at(300), 'o2', 1)).map((d) => d.rule),
      ['RULE-016'],
      'a third in the same second',
    );
    const r = scenario('risk: { rules: { RULE-016: { maxOrdersPerSecond: 2 } } }');
    r.feed(ev.quote(at(0), 'MNQ', '18000'), limitBuy(at(0), 'o1', 3), update(at(100), 'o1', { qty: 1 }));
    assert.deepEqual(r.feed(limitBuy(at(300), 'o2', 1)), [], 'less quantity is no new-order lane request');
  });

  it('preTradeUpdate: the rejections a user modify would get, without changing anything', () => {
    const s = scenario(MAX_3, 'enforce');
    s.feed(ev.quote(T('14:00'), 'MNQ', '18000'), limitBuy(T('14:01'), 'o1', 2));
    const modify = (change: Record<string, unknown>) =>
      parseEvent(update(T('14:02'), 'o1', change)) as OrderUpdateEvent;
    const before = stateHash(s.engine);
    const r = s.engine.preTradeUpdate('A', modify({ qty: 4 }));
    assert.deepEqual(
      r.map((x) => [x.rule, x.code]),
      [['RULE-001', 'MAX_CONTRACTS']],
    );
    assert.deepEqual(s.engine.preTradeUpdate('A', modify({ qty: 3 })), []);
    assert.deepEqual(s.engine.preTradeUpdate('A', modify({ qty: 1 })), []);
    assert.deepEqual(s.engine.preTradeUpdate('NOPE', modify({ qty: 4 })), []);
    assert.equal(stateHash(s.engine), before, 'no state change');
    assert.equal(s.engine.accounts.has('NOPE'), false);
  });
});
