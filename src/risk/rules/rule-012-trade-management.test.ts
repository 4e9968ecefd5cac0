import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev, breachesOf } from '../../../test/fixtures/scenario.ts';
import { parseFixed } from '../../domain/money.ts';
import { schema } from './rule-012-trade-management.ts';

// MNQ tick 0.25: 10 ticks = 2.50 points, 20 ticks = 5 points.
const CFG = `
risk:
  rules:
    RULE-012: { breakevenAfterTicks: 10, trailAfterTicks: 20, trailByTicks: 10 }
`;
const t = (hms: string) => `2026-04-07T${hms}Z`;

function moves(s: ReturnType<typeof scenario>, ts: string, last: string): string[] {
  return s
    .feed(ev.quote(ts, 'MNQ', last))
    .flatMap((d) => d.outcomes)
    .map((o) => (o.kind === 'move_stop' ? `${o.orderId}→${(Number(o.stopPrice / 10n ** 14n) / 1e4).toString()}` : o.kind));
}

test('RULE-012: long — breakeven at +10 ticks, trail 10 ticks behind from +20, never loosened', () => {
  const s = scenario(CFG);
  s.feed(ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'), ev.order(t('14:00:01.000'), 'A1', 's1', 'MNQ', 'sell', 1, { orderType: 'stop', stopPrice: '17990' }));
  assert.deepEqual(moves(s, t('14:01:00.000'), '18002.25'), [], '9 ticks');
  assert.deepEqual(moves(s, t('14:02:00.000'), '18002.50'), ['s1→18000'], 'breakeven');
  assert.deepEqual(moves(s, t('14:03:00.000'), '18004.75'), [], 'already at breakeven');
  assert.deepEqual(moves(s, t('14:04:00.000'), '18005'), ['s1→18002.5'], 'trail from +20 ticks');
  assert.deepEqual(moves(s, t('14:05:00.000'), '18003'), [], 'never loosened');
  assert.deepEqual(moves(s, t('14:06:00.000'), '18010'), ['s1→18007.5']);
  assert.equal(s.engine.account('A1').state.orders.get('s1')?.stopPrice, parseFixed('18007.5'));
  // Not a breach: nothing in the report's breaches.
  assert.deepEqual(breachesOf(s.report(), 'A1', '2026-04-07'), []);
  assert.ok(s.decisions.filter((d) => d.rule === 'RULE-012').every((d) => d.kind === 'stop_move'));
});

test('RULE-012: short — breakeven rounds the average onto the tick grid on the safe side', () => {
  const s = scenario(CFG);
  // Short 2 at 18000 and 18000.25: avg 18000.125 → breakeven stop 18000 (rounded down for a short).
  s.feed(
    ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'sell', 1, '18000'),
    ev.fill(t('14:00:00.500'), 'A1', 'MNQ', 'sell', 1, '18000.25'),
    ev.order(t('14:00:01.000'), 'A1', 's1', 'MNQ', 'buy', 2, { orderType: 'stop_limit', stopPrice: '18010', price: '18011' }),
  );
  assert.deepEqual(moves(s, t('14:01:00.000'), '17997.75'), [], '9.5 ticks');
  assert.deepEqual(moves(s, t('14:02:00.000'), '17997.5'), ['s1→18000']);
  assert.deepEqual(moves(s, t('14:03:00.000'), '17990'), ['s1→17992.5']);
  // A mid-price mark off the tick grid (bid 17987.25 / ask 17987.5 → 17987.375): the trail is rounded up, away from the market.
  const d = s.feed({ ts: t('14:04:00.000'), type: 'quote', symbol: 'MNQ', bid: '17987.25', ask: '17987.5' });
  assert.deepEqual(d.flatMap((x) => x.outcomes), [{ kind: 'move_stop', orderId: 's1', stopPrice: parseFixed('17990') }]);
});

test('RULE-012: no stop order, or a stop on the wrong side → nothing to move', () => {
  const s = scenario(CFG);
  s.feed(ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'), ev.order(t('14:00:01.000'), 'A1', 'b1', 'MNQ', 'buy', 1, { orderType: 'stop', stopPrice: '18020' }));
  assert.deepEqual(moves(s, t('14:01:00.000'), '18010'), []);
});

test('RULE-012: config needs trailAfterTicks and trailByTicks together', () => {
  const r = schema.safeParse({ trailAfterTicks: 20 });
  assert.equal(r.success, false);
  assert.match(r.error!.issues[0]!.message, /trailAfterTicks and trailByTicks/);
  assert.equal(schema.safeParse({ breakevenAfterTicks: 8 }).success, true);
});
