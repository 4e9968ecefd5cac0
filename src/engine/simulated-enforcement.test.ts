import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev } from '../../test/fixtures/scenario.ts';
import { configSchema } from '../config/schema.ts';
import { parseEvent } from '../domain/events.ts';
import { createEngine } from './factory.ts';

const cfg = 'risk: { rules: { RULE-004: { limit: "150" }, RULE-001: { limit: 2, action: trim } } }';
const T = (hhmm: string) => `2026-04-07T${hhmm}:00.000Z`;

test('enforce mode: a breach is executed at the mark (close, trim); shadow keeps the recorded facts', () => {
  const events = [
    ev.fill(T('14:00'), 'A', 'ES', 'buy', 1, '5200'),
    ev.quote(T('14:01'), 'ES', '5196'),
    ev.fill(T('14:02'), 'A', 'MNQ', 'buy', 3, '18000'),
  ];
  const shadow = scenario(cfg, 'shadow');
  shadow.feed(...events);
  assert.deepEqual(Object.keys(shadow.report().accounts.A!.positions), ['ES', 'MNQ']);

  const enforce = scenario(cfg, 'enforce');
  enforce.feed(...events);
  const r = enforce.report().accounts.A!;
  // ES closed at the 5196 mark (−4 × 50 = −200); MNQ trimmed from 3 to 2 at its last fill price.
  assert.deepEqual(Object.keys(r.positions), ['MNQ']);
  assert.equal(r.positions.MNQ!.qty, 2);
  assert.equal(r.days['2026-04-07']!.grossRealizedPnl, '-200');
  assert.equal(r.days['2026-04-07']!.fills, 4, '2 recorded + 2 enforcement fills');
});

test('each reset journals an end-of-day summary for accounts that traded that day', () => {
  const s = scenario('risk: { rules: { RULE-003: { limit: "100" } } }');
  s.feed(
    ev.fill(T('14:00'), 'A', 'ES', 'buy', 1, '5200', '1.40'),
    ev.fill(T('14:05'), 'A', 'ES', 'sell', 1, '5190', '1.40'),
    ev.fill(T('14:06'), 'B', 'MNQ', 'buy', 1, '18000'),
  );
  assert.equal(s.summaries.length, 0);
  s.feed(ev.clock('2026-04-08T23:30:00.000Z')); // two resets: 04-07 22:00Z and 04-08 22:00Z
  assert.deepEqual(
    s.summaries.map((d) => [d.account, d.ts]),
    [
      ['A', '2026-04-07T22:00:00.000Z'],
      ['B', '2026-04-07T22:00:00.000Z'],
    ],
  );
  assert.match(
    s.summaries[0]!.reason,
    /end of day 2026-04-07: net -502\.8 \(gross -500, fees 2\.8\), 2 fill\(s\), 1 breach\(es\), 0 rejection\(s\), open: flat/,
  );
  assert.match(s.summaries[1]!.reason, /open: MNQ 1/);
});

test('an engine built without end-of-day summaries (backtests) resets the same, with no summary decisions', () => {
  const events = [
    ev.fill(T('14:00'), 'A', 'ES', 'buy', 1, '5200', '1.40'),
    ev.fill(T('14:05'), 'A', 'ES', 'sell', 1, '5190', '1.40'),
    ev.clock('2026-04-08T23:30:00.000Z'),
  ];
  const kinds = (engine: ReturnType<typeof createEngine>) =>
    events.flatMap((e) => engine.process(parseEvent(e)).map((d) => d.kind));
  const config = configSchema.parse({ risk: { rules: { 'RULE-003': { limit: '100' } } } });
  assert.deepEqual(kinds(createEngine(config)), ['breach', 'summary']);
  const quiet = createEngine(config, 'shadow', { endOfDaySummaries: false });
  assert.deepEqual(kinds(quiet), ['breach']);
  assert.equal(quiet.dayLabel, '2026-04-09');
  assert.equal(quiet.account('A').state.day.fills, 0, 'daily figures restart at the reset');
});

test('enforce mode: a close decided by a timer (ts = its deadline) is filled at the current event time', () => {
  const s = scenario('risk: { rules: { RULE-008: { grace: "30s" } } }', 'enforce');
  s.feed(ev.fill(T('14:00'), 'A', 'ES', 'buy', 1, '5200'));
  // The grace timer fires at 14:00:30, revealed by a quote at 14:05.
  const d = s.feed(ev.quote(T('14:05'), 'ES', '5210'));
  assert.equal(d[0]?.rule, 'RULE-008');
  assert.equal(d[0]?.ts, '2026-04-07T14:00:30.000Z');
  const r = s.report().accounts.A!;
  assert.deepEqual(r.positions, {});
  assert.equal(r.days['2026-04-07']!.grossRealizedPnl, '500', 'closed at the 5210 mark');
});
