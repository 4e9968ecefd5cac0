/**
 * Enforcement against the real paper broker behind a faulty wrapper (DESIGN §1 invariant 2):
 * retried after broker failures without doubling the flatten, a failed enforcement halts the
 * account, and --dry-run journals enforcement without any broker call.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrokerAdapter, OrderRequest } from '../../src/adapters/broker.ts';
import type { PaperBroker } from '../../src/adapters/paper/index.ts';
import { formatFixed } from '../../src/domain/money.ts';
import { boot, qty, type Rig } from './gateway-harness.ts';

const CONFIG = `
risk:
  rules:
    RULE-004: { limit: "100" }
`;

interface Faulty {
  broker: BrokerAdapter;
  calls: { placeOrder: OrderRequest[]; cancelOrder: number };
}

/**
 * The paper broker, except that enforcement orders (client ids holding the enforcement key's `|`)
 * fail: `before` = rejected before reaching the venue, `after` = executed but the answer is lost.
 */
function faulty(paper: PaperBroker, failures: number, mode: 'before' | 'after'): Faulty {
  const calls = { placeOrder: [] as OrderRequest[], cancelOrder: 0 };
  let left = failures;
  const broker = Object.create(paper) as BrokerAdapter;
  Object.assign(broker, {
    connect: () => paper.connect(),
    async placeOrder(req: OrderRequest) {
      calls.placeOrder.push(req);
      const enforcement = req.clientOrderId.includes('|');
      if (enforcement && left > 0) {
        left--;
        if (mode === 'after') await paper.placeOrder(req);
        throw new Error(`broker timeout (${mode})`);
      }
      return paper.placeOrder(req);
    },
    async cancelOrder(account: string, orderId: string) {
      calls.cancelOrder++;
      return paper.cancelOrder(account, orderId);
    },
  });
  return { broker, calls };
}

async function openLosingPosition(rig: Rig): Promise<void> {
  rig.quote('MNQ', '18000.00', '18000.25');
  const r = await rig.node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'buy', qty: qty(2), type: 'market' });
  assert.equal(r.status, 'routed');
  rig.clock.advance(60_000);
  // (17900 − 18000.25) × 2 × 2 = −401 < −100: RULE-004 closes the position.
  rig.quote('MNQ', '17900.00', '17900.25');
  await rig.node.idle();
}

const sellQty = async (paper: PaperBroker): Promise<string[]> =>
  (await paper.getFills('A1')).filter((f) => f.side === 'sell').map((f) => formatFixed(f.qty));

test('a flatten that fails twice at the broker is retried with backoff until the broker is flat', async (t) => {
  let f: Faulty | undefined;
  const rig = await boot(t, CONFIG, {
    start: '2026-04-07T14:00:00.000Z',
    broker: (p) => (f = faulty(p, 2, 'before')).broker,
  });
  await openLosingPosition(rig);
  assert.equal(rig.decisions().filter((d) => d.rule === 'RULE-004').length, 1);
  assert.deepEqual(
    (await rig.paper.getPositions('A1')).map((p) => formatFixed(p.qty)),
    ['2'],
    'first attempt failed',
  );
  assert.equal(rig.state(), 'REDUCING', 'an enforcement is pending');
  assert.deepEqual(rig.node.queries.risk('A1')?.stateReasons, ['1 enforcement(s) pending']);
  // Opening orders wait while an enforcement is pending; the close itself is never blocked.
  const opening = await rig.node.submitOrder({
    account: 'A1',
    symbol: 'MNQ',
    side: 'buy',
    qty: qty(1),
    type: 'market',
  });
  assert.equal(opening.status === 'rejected' && opening.codes[0], 'TRADING_STATE_REDUCING');
  for (let i = 0; i < 5 && (await rig.paper.getPositions('A1')).length > 0; i++) {
    rig.clock.advance(1_000);
    await rig.node.tick();
    await rig.node.idle();
  }
  assert.deepEqual(await rig.paper.getPositions('A1'), []);
  assert.deepEqual(rig.node.queries.positions('A1'), []);
  assert.deepEqual(await sellQty(rig.paper), ['2'], 'exactly one flatten');
  const enf = rig.records('enforcement').filter((e) => e.kind === 'close_position');
  assert.equal(enf.filter((e) => String(e.note).startsWith('retry')).length, 2);
  assert.equal(enf.at(-1)?.status, 'confirmed');
  assert.equal(enf.at(-1)?.attempts, 3);
  assert.equal(f!.calls.placeOrder.filter((r) => r.clientOrderId.includes('|')).length, 3);
  assert.equal(rig.state(), 'ACTIVE');
  const published = rig.messages
    .filter((m) => m.channel === 'enforcements' && m.data.kind === 'close_position')
    .map((m) => m.data.status);
  assert.equal(published.at(-1), 'confirmed', `enforcement steps on the bus: ${published.join(' ')}`);
});

test('a flatten executed at the broker whose answer was lost is confirmed from broker state, not sent again', async (t) => {
  let f: Faulty | undefined;
  const rig = await boot(t, CONFIG, {
    start: '2026-04-07T14:00:00.000Z',
    broker: (p) => (f = faulty(p, 1, 'after')).broker,
  });
  await openLosingPosition(rig);
  rig.clock.advance(1_000);
  await rig.node.tick();
  await rig.node.idle();
  assert.deepEqual(await rig.paper.getPositions('A1'), []);
  assert.deepEqual(await sellQty(rig.paper), ['2'], 'the flatten was not doubled');
  assert.equal(f!.calls.placeOrder.filter((r) => r.clientOrderId.includes('|')).length, 1);
  const last = rig
    .records('enforcement')
    .filter((e) => e.kind === 'close_position')
    .at(-1);
  assert.equal(last?.status, 'confirmed');
  assert.equal(last?.note, 'broker state confirms');
});

test('an enforcement that never succeeds raises an alert and halts the account; closes still pass', async (t) => {
  const rig = await boot(t, CONFIG, {
    start: '2026-04-07T14:00:00.000Z',
    broker: (p) => faulty(p, 1_000, 'before').broker,
    node: { enforcement: { maxAttempts: 2 } },
  });
  await openLosingPosition(rig);
  rig.clock.advance(5_000);
  await rig.node.tick();
  await rig.node.idle();
  assert.equal(rig.state(), 'HALTED');
  const alerts = rig.records('alert');
  assert.equal(alerts.length, 1);
  assert.match(String(alerts[0]!.reason), /could not be confirmed/);
  assert.ok(
    rig.messages.some((m) => m.channel === 'enforcements' && m.data.status === 'failed'),
    'the failure is published',
  );
  const opening = await rig.node.submitOrder({
    account: 'A1',
    symbol: 'MNQ',
    side: 'buy',
    qty: qty(1),
    type: 'market',
  });
  assert.equal(opening.status, 'rejected');
  if (opening.status === 'rejected') assert.deepEqual(opening.codes, ['TRADING_STATE_HALTED']);
  const close = await rig.node.submitOrder({ account: 'A1', symbol: 'MNQ', side: 'sell', qty: qty(2), type: 'market' });
  assert.equal(close.status, 'routed');
  if (close.status === 'routed') assert.equal(close.reduceOnly, true);
  assert.deepEqual(await rig.paper.getPositions('A1'), []);
  rig.node.resume('A1', 'position closed by hand');
  assert.equal(rig.state(), 'ACTIVE');
  assert.match(String(rig.records('trading_state').at(-1)?.reason), /^resumed: admin: position closed by hand/);
});

test('dry run: enforcement decisions are journaled, the broker is never called for them', async (t) => {
  let f: Faulty | undefined;
  const rig = await boot(t, CONFIG, {
    start: '2026-04-07T14:00:00.000Z',
    broker: (p) => (f = faulty(p, 0, 'before')).broker,
    node: { dryRun: true },
  });
  await openLosingPosition(rig);
  const userOrders = f!.calls.placeOrder.length;
  rig.clock.advance(5_000);
  await rig.node.tick();
  await rig.node.idle();
  assert.equal(rig.decisions().filter((d) => d.kind === 'breach' && d.rule === 'RULE-004').length, 1);
  assert.equal(f!.calls.placeOrder.length, userOrders, 'no enforcement order');
  assert.equal(f!.calls.cancelOrder, 0);
  assert.deepEqual(
    (await rig.paper.getPositions('A1')).map((p) => formatFixed(p.qty)),
    ['2'],
  );
  const enf = rig.records('enforcement');
  assert.deepEqual(
    enf.map((e) => `${e.kind}:${e.status}`),
    ['close_position:requested', 'close_position:confirmed'],
  );
  assert.equal(enf[1]!.note, 'dry run: no broker call');
  assert.ok(enf.every((e) => e.dryRun === true));
});
