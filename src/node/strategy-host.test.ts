import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromInt, parseFixed, ZERO, type Fixed } from '../domain/money.ts';
import type { StrategyDefinition } from '../backtest/types.ts';
import type { Candidate } from '../research/select.ts';
import { DEFAULT_SELECTOR_SETTINGS, type SelectorSettings } from '../research/selector.ts';
import type { NewOrder, SubmitResult } from './gateway.ts';
import { StrategyHost, type LiveSelection } from './strategy-host.ts';

const MIN = 60_000;
/** Through a call: the property is read after the awaits (no narrowing from an earlier check). */
const selectionOf = (h: StrategyHost): LiveSelection | undefined => h.selection;

/** Holds `qty` (signed) from the first bar on. */
const hold: StrategyDefinition = {
  name: 'hold',
  description: 'test: holds qty',
  params: { qty: { default: '1', description: 'signed position' } },
  create(params) {
    const want = parseFixed(params.qty ?? '1');
    return {
      onBar(_bar, ctx) {
        const diff = want - ctx.position;
        if (diff === ZERO || ctx.pendingOrders > 0) return;
        ctx.submit({ side: diff > ZERO ? 'buy' : 'sell', type: 'market', qty: diff > ZERO ? diff : -diff });
      },
    };
  },
};

const candidate = (qty: string): Candidate => ({ id: `hold:qty=${qty}`, def: hold, params: { qty } });

const settings: SelectorSettings = {
  ...DEFAULT_SELECTOR_SETTINGS,
  lookback: 6,
  maxActive: 1,
  minRegimeBars: 1000,
  allocation: { ...DEFAULT_SELECTOR_SETTINGS.allocation, maxWeight: 1, varBudget: 1, drawdownBudget: 1, kelly: 'off' },
};

class FakeNode {
  position: Fixed = ZERO;
  working = 0;
  readonly orders: NewOrder[] = [];
  readonly published: Record<string, unknown>[] = [];
  reject = false;
  submitOrder(o: NewOrder): Promise<SubmitResult> {
    this.orders.push(o);
    if (this.reject && !o.reduceOnly)
      return Promise.resolve({
        status: 'rejected',
        clientOrderId: o.clientOrderId ?? '',
        codes: ['RISK_MAX_CONTRACTS'],
        rules: ['RULE-001'],
        reasons: ['max contracts'],
      });
    this.position += o.side === 'buy' ? o.qty : -o.qty;
    return Promise.resolve({ status: 'routed', order: {} as never, reduceOnly: o.reduceOnly ?? false });
  }
  positionQty = () => this.position;
  workingOrders = () => this.working;
  publish = (_account: string, data: Record<string, unknown>) => void this.published.push(data);
  say = () => undefined;
}

/** A rising market with uneven steps (the returns have a variance). */
const price = (i: number) => fromInt(4000 + i * 2 + (i % 3));

function setup(everyMs = 5 * MIN, schedule?: string) {
  let t = 0;
  const node = new FakeNode();
  const host = new StrategyHost(node, {
    account: 'PAPER-1',
    symbol: 'ES',
    barMs: MIN,
    everyMs,
    ...(schedule === undefined ? {} : { schedule }),
    candidates: [candidate('3'), candidate('-2')],
    settings,
    capital: fromInt(50_000),
    now: () => t,
  });
  /** One mark in minute i, then the clock passes its end. */
  const minute = async (i: number) => {
    t = i * MIN + 30_000;
    await host.onMark(price(i));
    t = (i + 1) * MIN;
    await host.tick();
  };
  return { node, host, minute };
}

test('no selection and no order before the lookback holds; then the best candidate trades', async () => {
  const { node, host, minute } = setup();
  for (let i = 0; i < 5; i++) await minute(i);
  assert.equal(host.selection, undefined);
  assert.equal(node.orders.length, 0);
  await minute(5);
  const sel = selectionOf(host);
  assert.ok(sel);
  assert.deepEqual(sel.active, ['hold:qty=3']);
  assert.equal(sel.allocation.weights['hold:qty=3'], 1);
  assert.deepEqual(sel.positions, { 'hold:qty=3': '3', 'hold:qty=-2': '-2' });
  assert.equal(sel.target, '3');
  const long = sel.scores.find((s) => s.id === 'hold:qty=3')!;
  const short = sel.scores.find((s) => s.id === 'hold:qty=-2')!;
  assert.ok(long.sharpe > 0 && short.sharpe < 0);
  assert.equal(node.published.length, 1);
  assert.equal(node.published[0]!.event, 'strategy_selection');
  assert.deepEqual(
    node.orders.map((o) => [o.side, o.qty, o.reduceOnly]),
    [['buy', fromInt(3), false]],
  );
  assert.equal(host.status().target, '3');
});

test('one selection per schedule slot; the position is only topped up to the target', async () => {
  const { node, minute } = setup(5 * MIN);
  for (let i = 0; i < 14; i++) await minute(i);
  // Bar closes at minutes 6..14: slots 1 (6–9) and 2 (10–14) → two selections.
  assert.equal(node.published.length, 2);
  assert.equal(node.orders.length, 1);
  assert.equal(node.position, fromInt(3));
});

test('a cron schedule replaces every: one selection per period between its fire times', async () => {
  // Fires at minutes 7 and 12 of every hour (UTC). Bar closes at minutes 6..20 fall in the periods
  // ending at 00:07 (close 6), 00:12 (closes 7–11) and 01:07 (closes 12–20): three selections,
  // where `every: 5m` alone would make four (slots 1, 2, 3, 4).
  const { node, host, minute } = setup(5 * MIN, '0 7,12 * * * *');
  for (let i = 0; i < 20; i++) await minute(i);
  assert.equal(node.published.length, 3);
  assert.equal(host.status().schedule, '0 7,12 * * * *');
});

test('over the target: a reduce-only order brings it back; from short, close first then open', async () => {
  const { node, minute } = setup();
  for (let i = 0; i < 5; i++) await minute(i);
  node.position = fromInt(5);
  await minute(5);
  assert.deepEqual(
    node.orders.map((o) => [o.side, o.qty, o.reduceOnly]),
    [['sell', fromInt(2), true]],
  );
  node.position = fromInt(-1);
  await minute(6);
  assert.deepEqual(
    node.orders.slice(1).map((o) => [o.side, o.qty, o.reduceOnly]),
    [
      ['buy', fromInt(1), true],
      ['buy', fromInt(3), false],
    ],
  );
});

test('a rule rejection is respected and recorded; nothing is sent while own orders work', async () => {
  const { node, host, minute } = setup();
  node.reject = true;
  for (let i = 0; i < 6; i++) await minute(i);
  assert.equal(node.position, ZERO);
  const outcomes = host.status().orders as { status: string; rules: string[] }[];
  assert.deepEqual(
    outcomes.map((o) => [o.status, o.rules]),
    [['rejected', ['RULE-001']]],
  );
  node.reject = false;
  node.working = 1;
  await minute(6);
  assert.equal(node.orders.length, 1);
  node.working = 0;
  await minute(7);
  assert.equal(node.position, fromInt(3));
});
