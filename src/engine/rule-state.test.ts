/**
 * A stateful rule is its definition alone: a rule made here, never registered and never named by
 * the engine, keeps per-account state through fills, snapshots and restores it under its key, and
 * gets its first breaches listed by the scope it declares.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { TradingCalendar } from '../domain/calendar.ts';
import { InstrumentTable } from '../domain/instrument.ts';
import { parseEvent, type EngineEvent } from '../domain/events.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { ZERO } from '../domain/money.ts';
import { stateOf } from '../risk/account.ts';
import { defineRule, NONE, type BreachScope, type RuleState } from '../risk/rule.ts';
import { RiskEngine } from './risk-engine.ts';
import { restoreEngine, snapshotEngine, stateHash } from './snapshot.ts';

/** Losing closes in a row, per symbol (a winning or flat close starts the count again). */
const streaks: RuleState<Map<string, number>> = {
  key: 'losingStreaks',
  create: () => new Map(),
  toJSON: (m) => Object.fromEntries(m),
  fromJSON: (json) => new Map(Object.entries(json as Record<string, number>)),
  onFill(m, _account, fill) {
    if (fill.closedQty === ZERO) return;
    m.set(fill.symbol, fill.realized < ZERO ? (m.get(fill.symbol) ?? 0) + 1 : 0);
  },
};

function streakRule(scope: BreachScope) {
  return defineRule({
    id: 'RULE-901',
    name: 'losing_streak',
    description: 'Alerts when a symbol closes at a loss too many times in a row.',
    schema: z.object({ max: z.number().int().min(1) }).strict(),
    scope,
    state: streaks,
    triggers: ['fill'],
    evaluate(ctx, cfg) {
      if (ctx.fill === undefined || ctx.fill.closedQty === ZERO) return NONE;
      const symbol = ctx.fill.symbol;
      const n = stateOf(ctx.account, streaks).get(symbol) ?? 0;
      if (n < cfg.max) return NONE;
      const message = `${n} losing closes of ${symbol} in a row`;
      return [{ rule: 'RULE-901', action: 'alert', symbol, reason: message, outcomes: [{ kind: 'alert', message }] }];
    },
  });
}

function engineWith(scope: BreachScope): RiskEngine {
  const active = [{ rule: streakRule(scope), config: { max: 2 } }];
  return new RiskEngine({
    calendar: new TradingCalendar(),
    instruments: InstrumentTable.withOverrides(),
    rulesFor: () => active,
  });
}

let minute = 0;
/** A round trip in `symbol` that loses one point (or gains one). */
function roundTrip(symbol: string, loses = true): EngineEvent[] {
  const fill = (side: 'buy' | 'sell', price: string) => {
    const m = minute++;
    const ts = new Date(Date.UTC(2026, 2, 5, 15, m)).toISOString();
    return parseEvent({
      ts,
      type: 'fill',
      account: 'A',
      orderId: `o${m}`,
      fillId: `f${m}`,
      symbol,
      side,
      qty: 1,
      price,
    });
  };
  return [fill('buy', '5000'), fill('sell', loses ? '4999' : '5001')];
}

function run(engine: RiskEngine, events: readonly EngineEvent[]): string[] {
  return events.flatMap((e) => engine.process(e)).map((d) => `${d.rule} ${d.symbol ?? ''}`);
}

test('a rule state the engine never names is kept per account, from the fills it hears of', () => {
  minute = 0;
  const engine = engineWith('position');
  const decided = run(engine, [...roundTrip('MNQ'), ...roundTrip('MNQ'), ...roundTrip('ES'), ...roundTrip('MNQ')]);
  assert.deepEqual(decided, ['RULE-901 MNQ', 'RULE-901 MNQ']);
  assert.deepEqual(Object.fromEntries(stateOf(engine.accounts.get('A')!.state, streaks)), { MNQ: 3, ES: 1 });
});

test('its breaches are listed per symbol or per account as the rule declares its scope', () => {
  const listed = (scope: BreachScope) => {
    minute = 0;
    const engine = engineWith(scope);
    run(engine, [
      ...roundTrip('MNQ'),
      ...roundTrip('MNQ'),
      ...roundTrip('ES'),
      ...roundTrip('ES'),
      ...roundTrip('MNQ'),
    ]);
    const book = engine.accounts.get('A')!.book;
    return book.labels().flatMap((l) => book.get(l)!.breaches.map((b) => `${b.rule} ${b.symbol ?? '-'}`));
  };
  assert.deepEqual(listed('position'), ['RULE-901 MNQ', 'RULE-901 ES']);
  assert.deepEqual(listed('account'), ['RULE-901 -']);
});

test('its state is snapshotted under its key, beside the registered rules’ states, and restored', () => {
  minute = 0;
  const before = [...roundTrip('MNQ'), ...roundTrip('ES'), ...roundTrip('MNQ', false), ...roundTrip('MNQ')];
  const after = [...roundTrip('MNQ'), ...roundTrip('ES', false)];
  const straight = engineWith('position');
  run(straight, before);
  const snap = JSON.parse(canonicalJson(snapshotEngine(straight))) as {
    accounts: { state: Record<string, unknown> }[];
  };
  const account = snap.accounts[0]!.state;
  assert.deepEqual(account.losingStreaks, { MNQ: 1, ES: 1 });
  assert.ok('activity' in account && 'watermark' in account);

  const restored = engineWith('position');
  restoreEngine(restored, snap);
  assert.equal(stateHash(restored), stateHash(straight));
  const expected = run(straight, after);
  assert.deepEqual(expected, ['RULE-901 MNQ']); // the streak of before the snapshot counts
  assert.deepEqual(run(restored, after), expected);
  assert.equal(stateHash(restored), stateHash(straight));
});

test('a snapshot without the state (its rule is newer) restores it fresh; one with an unknown state is refused', () => {
  minute = 0;
  const engine = engineWith('position');
  run(engine, [...roundTrip('MNQ')]);
  const snap = snapshotEngine(engine) as { accounts: { state: Record<string, unknown> }[] };
  const { losingStreaks: _dropped, ...older } = snap.accounts[0]!.state;
  const fresh = engineWith('position');
  restoreEngine(fresh, { ...snap, accounts: [{ ...snap.accounts[0]!, state: older }] });
  assert.equal(stateOf(fresh.accounts.get('A')!.state, streaks).size, 0);

  const unknown = {
    ...snap,
    accounts: [{ ...snap.accounts[0]!, state: { ...snap.accounts[0]!.state, breakEvens: {} } }],
  };
  assert.throws(() => restoreEngine(engineWith('position'), unknown), /"breakEvens", the state of no rule/);
});
