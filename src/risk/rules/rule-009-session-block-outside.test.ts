import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev } from '../../../test/fixtures/scenario.ts';

// 08:30–15:00 Chicago on weekdays = 13:30Z–20:00Z in April (CDT, UTC−5).
const RTH = `
risk:
  rules:
    RULE-009: { timezone: America/Chicago, sessions: [ { start: "08:30", end: "15:00", days: [mon, tue, wed, thu, fri] } ], holidays: cme }
`;
const GLOBEX = `
risk:
  rules:
    RULE-009: { sessions: [ { start: "17:00", end: "16:00" } ] }
`;
const accepted = (s: ReturnType<typeof scenario>, ts: string, id = `o-${ts}`) =>
  s.feed(ev.order(ts, 'A1', id, 'MNQ', 'buy', 1)).length === 0;

test('RULE-009: opening orders are accepted inside the session and rejected outside it', () => {
  const s = scenario(RTH);
  assert.equal(accepted(s, '2026-04-07T13:29:59.999Z'), false);
  assert.equal(accepted(s, '2026-04-07T13:30:00.000Z'), true);
  assert.equal(accepted(s, '2026-04-07T19:59:59.999Z'), true);
  assert.equal(accepted(s, '2026-04-07T20:00:00.000Z'), false, 'the session end is exclusive');
  const rej = s.decisions.filter((d) => d.kind === 'rejection');
  assert.ok(rej.every((d) => d.rule === 'RULE-009' && d.outcomes[0]?.kind === 'reject'));
});

function scenarioHolding() {
  const s = scenario(RTH);
  s.feed(ev.fill('2026-04-07T20:30:00.000Z', 'A1', 'MNQ', 'buy', 1, '18000'), ev.clock('2026-04-08T23:00:00.000Z'));
  return s.decisions.filter((d) => d.kind === 'breach');
}

test('RULE-009: a fill outside the session closes all and locks until the next session opens', () => {
  const s = scenario(RTH);
  const d = s.feed(ev.fill('2026-04-07T20:30:00.000Z', 'A1', 'MNQ', 'buy', 1, '18000'));
  assert.equal(d.length, 1);
  assert.equal(d[0]!.rule, 'RULE-009');
  assert.equal(d[0]!.action, 'close_all');
  assert.equal(d[0]!.until, '2026-04-08T13:30:00.000Z');
  assert.deepEqual(
    d[0]!.outcomes.map((o) => o.kind),
    ['cancel_orders', 'close_all', 'lockout'],
  );
  // Still holding when the next session ends (shadow mode does not close): that end breaches too.
  assert.deepEqual(
    scenarioHolding().map((x) => `${x.rule}@${x.ts}`),
    ['RULE-009@2026-04-07T20:30:00.000Z', 'RULE-009@2026-04-08T20:00:00.000Z'],
  );
  // A closing fill outside the session is what the rule wants: no new breach.
  assert.deepEqual(s.feed(ev.fill('2026-04-07T20:31:00.000Z', 'A1', 'MNQ', 'sell', 1, '18000')), []);
  assert.equal(accepted(s, '2026-04-08T13:29:00.000Z'), false);
  assert.equal(accepted(s, '2026-04-08T13:30:00.000Z'), true);
});

test('RULE-009: a position still open at the session end breaches at the end; one closed before does not', () => {
  const held = scenario(RTH);
  held.feed(ev.fill('2026-04-07T14:00:00.000Z', 'A1', 'MNQ', 'buy', 1, '18000'));
  const d = held.feed(ev.clock('2026-04-07T21:00:00.000Z'));
  assert.deepEqual(
    d.map((x) => `${x.rule}@${x.ts} until ${x.until}`),
    ['RULE-009@2026-04-07T20:00:00.000Z until 2026-04-08T13:30:00.000Z'],
  );

  // Still open (shadow mode records, it does not close): the next session's end breaches again.
  const next = held.feed(ev.clock('2026-04-08T21:00:00.000Z'));
  assert.deepEqual(
    next.map((x) => `${x.rule}@${x.ts}`),
    ['RULE-009@2026-04-08T20:00:00.000Z'],
  );

  const closed = scenario(RTH);
  closed.feed(
    ev.fill('2026-04-07T14:00:00.000Z', 'A1', 'MNQ', 'buy', 1, '18000'),
    ev.fill('2026-04-07T19:59:00.000Z', 'A1', 'MNQ', 'sell', 1, '18000'),
    ev.clock('2026-04-07T21:00:00.000Z'),
  );
  assert.deepEqual(closed.decisions, []);
});

test('RULE-009: weekends and CME holidays are closed; the lock skips them', () => {
  const s = scenario(RTH);
  assert.equal(accepted(s, '2026-04-11T15:00:00.000Z'), false, 'Saturday');
  const fri = scenario(RTH);
  assert.equal(
    fri.feed(ev.fill('2026-04-10T20:30:00.000Z', 'A1', 'MNQ', 'buy', 1, '18000'))[0]?.until,
    '2026-04-13T13:30:00.000Z',
  );
  // 2026-04-03 is Good Friday: Thursday's after-hours lock runs to Monday.
  const thu = scenario(RTH);
  assert.equal(
    thu.feed(ev.fill('2026-04-02T20:30:00.000Z', 'A1', 'MNQ', 'buy', 1, '18000'))[0]?.until,
    '2026-04-06T13:30:00.000Z',
  );
  assert.equal(accepted(scenario(RTH), '2026-04-03T15:00:00.000Z'), false, 'Good Friday');
  assert.equal(
    accepted(scenario(RTH.replace('holidays: cme', 'holidays: none')), '2026-04-03T15:00:00.000Z'),
    true,
    'holidays: none',
  );
});

test('RULE-009: a window ending before its start crosses midnight and belongs to the day it ends (Sunday evening opens Monday)', () => {
  const s = scenario(GLOBEX);
  assert.equal(accepted(s, '2026-04-05T21:59:00.000Z'), false, 'Sunday 16:59 CDT');
  assert.equal(accepted(s, '2026-04-05T22:00:00.000Z'), true, 'Sunday 17:00 CDT');
  assert.equal(accepted(s, '2026-04-07T05:00:00.000Z'), true, 'Tuesday 00:00 CDT');
  assert.equal(accepted(s, '2026-04-07T21:30:00.000Z'), false, 'Tuesday 16:30 CDT, daily break');
  assert.equal(accepted(s, '2026-04-10T22:30:00.000Z'), false, 'Friday 17:30 CDT');
  const fri = scenario(GLOBEX);
  assert.equal(
    fri.feed(ev.fill('2026-04-10T21:30:00.000Z', 'A1', 'MNQ', 'buy', 1, '18000'))[0]?.until,
    '2026-04-12T22:00:00.000Z',
  );
});

test('RULE-009: session times are local to the rule zone, else to the top-level timezone', () => {
  const london = scenario(`
risk:
  rules:
    RULE-009: { timezone: Europe/London, sessions: [ { start: "08:00", end: "16:30" } ] }
`);
  assert.equal(accepted(london, '2026-04-07T06:59:00.000Z'), false);
  assert.equal(accepted(london, '2026-04-07T07:00:00.000Z'), true, '08:00 BST');
  const ny = scenario(`
timezone: America/New_York
risk:
  rules:
    RULE-009: { sessions: [ { start: "09:30", end: "16:00" } ] }
`);
  assert.equal(accepted(ny, '2026-04-07T13:29:00.000Z'), false);
  assert.equal(accepted(ny, '2026-04-07T13:30:00.000Z'), true, '09:30 EDT');
});

test('RULE-009: sessions follow DST and CME early closes', () => {
  // 08:30 Chicago is 14:30Z in CST (before 2026-03-08) and 13:30Z in CDT (after).
  assert.equal(accepted(scenario(RTH), '2026-03-06T14:29:00.000Z'), false);
  assert.equal(accepted(scenario(RTH), '2026-03-06T14:30:00.000Z'), true);
  assert.equal(accepted(scenario(RTH), '2026-03-09T13:30:00.000Z'), true);
  // 2026-11-27 (day after Thanksgiving) closes at 12:15 CT = 18:15Z.
  const s = scenario(RTH);
  assert.equal(accepted(s, '2026-11-27T18:14:00.000Z'), true);
  assert.equal(accepted(s, '2026-11-27T18:15:00.000Z'), false);
  assert.equal(accepted(scenario(RTH.replace('holidays: cme', 'holidays: none')), '2026-11-27T18:15:00.000Z'), true);
});
