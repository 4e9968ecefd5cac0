import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev, breachesOf } from '../../../test/fixtures/scenario.ts';
import fc from 'fast-check';
import { formatFixed, fromInt, ONE, parseFixed, SCALE, ZERO } from '../../domain/money.ts';
import { applyFill, newPosition } from '../../domain/position.ts';
import { InstrumentTable, instrumentFromSpec } from '../../domain/instrument.ts';
import { newAccountState } from '../account.ts';
import type { RuleContext } from '../rule.ts';
import { rule012, schema } from './rule-012-trade-management.ts';

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
    .map((o) =>
      o.kind === 'move_stop' ? `${o.orderId}→${(Number(o.stopPrice / 10n ** 14n) / 1e4).toString()}` : o.kind,
    );
}

test('RULE-012: long — breakeven at +10 ticks, trail 10 ticks behind from +20, never loosened', () => {
  const s = scenario(CFG);
  s.feed(
    ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'),
    ev.order(t('14:00:01.000'), 'A1', 's1', 'MNQ', 'sell', 1, { orderType: 'stop', stopPrice: '17990' }),
  );
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
    ev.order(t('14:00:01.000'), 'A1', 's1', 'MNQ', 'buy', 2, {
      orderType: 'stop_limit',
      stopPrice: '18010',
      price: '18011',
    }),
  );
  assert.deepEqual(moves(s, t('14:01:00.000'), '17997.75'), [], '9.5 ticks');
  assert.deepEqual(moves(s, t('14:02:00.000'), '17997.5'), ['s1→18000']);
  assert.deepEqual(moves(s, t('14:03:00.000'), '17990'), ['s1→17992.5']);
  // A mid-price mark off the tick grid (bid 17987.25 / ask 17987.5 → 17987.375): the trail is rounded up, away from the market.
  const d = s.feed({ ts: t('14:04:00.000'), type: 'quote', symbol: 'MNQ', bid: '17987.25', ask: '17987.5' });
  assert.deepEqual(
    d.flatMap((x) => x.outcomes),
    [{ kind: 'move_stop', orderId: 's1', stopPrice: parseFixed('17990') }],
  );
});

test('RULE-012: no stop order, or a stop on the wrong side → nothing to move', () => {
  const s = scenario(CFG);
  s.feed(
    ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000'),
    ev.order(t('14:00:01.000'), 'A1', 'b1', 'MNQ', 'buy', 1, { orderType: 'stop', stopPrice: '18020' }),
  );
  assert.deepEqual(moves(s, t('14:01:00.000'), '18010'), []);
});

test('RULE-012: config needs trailAfterTicks and trailByTicks together', () => {
  const r = schema.safeParse({ trailAfterTicks: 20 });
  assert.equal(r.success, false);
  assert.match(r.error!.issues[0]!.message, /trailAfterTicks and trailByTicks/);
  assert.equal(schema.safeParse({ breakevenAfterTicks: 8 }).success, true);
});

test('RULE-012: the quiet band is exactly the marks at which no stop moves (property)', () => {
  const instruments = [
    instrumentFromSpec({ symbol: 'MNQ', tickSize: '0.25', tickValue: '0.50' }),
    instrumentFromSpec({ symbol: 'CL', tickSize: '0.01', tickValue: '10' }),
  ];
  const stop = fc.record({
    side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
    offTicks: fc.integer({ min: -60, max: 60 }),
    offGrid: fc.nat(99),
    priced: fc.nat(9),
  });
  const config = fc.record({
    breakevenAfterTicks: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
    trail: fc.option(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 20 })), { nil: undefined }),
  });
  const fill = fc.record({ qty: fc.integer({ min: 1, max: 4 }), offTicks: fc.integer({ min: -10, max: 10 }) });
  fc.assert(
    fc.property(
      fc.nat(1),
      fc.boolean(),
      fc.array(fill, { minLength: 1, maxLength: 3 }),
      fc.array(stop, { maxLength: 3 }),
      config,
      (i, long, fills, stops, c) => {
        const inst = instruments[i]!;
        const tick = inst.tickSize;
        const base = 7000n * SCALE;
        const st = newAccountState('A', fromInt(50_000), '2026-04-07');
        const pos = newPosition(inst.symbol, inst);
        for (const f of fills)
          applyFill(pos, long ? 'buy' : 'sell', fromInt(f.qty), base + BigInt(f.offTicks) * tick, 0);
        st.positions.set(inst.symbol, pos);
        stops.forEach((s, k) => {
          // Mostly on the tick grid, sometimes off it, rarely without a stop price.
          const stopPrice =
            s.priced === 0
              ? undefined
              : base + BigInt(s.offTicks) * tick + (s.offGrid < 70 ? 0n : (tick * BigInt(s.offGrid)) / 100n);
          st.orders.set(`s${k}`, {
            orderId: `s${k}`,
            symbol: inst.symbol,
            side: s.side,
            orderType: 'stop',
            qty: ONE,
            filledQty: ZERO,
            price: undefined,
            stopPrice,
            reduceOnly: true,
            placedAt: 0,
            rejected: false,
          });
        });
        const cfg = schema.parse({
          breakevenAfterTicks: c.breakevenAfterTicks,
          ...(c.trail ? { trailAfterTicks: c.trail[0], trailByTicks: c.trail[1] } : {}),
        });
        const ctxAt = (mark: bigint) =>
          ({
            now: 0,
            trigger: 'quote',
            account: st,
            instruments: InstrumentTable.withOverrides(),
            symbol: inst.symbol,
            nextReset: 0,
            markOf: () => mark,
            unrealizedOf: () => ZERO,
          }) as RuleContext;
        const band = rule012.quietBand!(ctxAt(base), cfg, pos)!;
        const inBand = (m: bigint) =>
          (band.markLo === undefined || m >= band.markLo) && (band.markHi === undefined || m <= band.markHi);
        const marks: bigint[] = [];
        for (let t = -80n; t <= 80n; t++) marks.push(base + t * tick, base + t * tick + tick / 2n);
        for (const edge of [band.markLo, band.markHi]) if (edge !== undefined) marks.push(edge - 1n, edge, edge + 1n);
        for (const m of marks)
          assert.equal(inBand(m), rule012.evaluate!(ctxAt(m), cfg).length === 0, `mark ${formatFixed(m)}`);
      },
    ),
    { numRuns: 400 },
  );
});
