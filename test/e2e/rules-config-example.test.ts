/** The DESIGN §7 configuration example, with every rule, validates; typos in the new rules' keys are named by path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfigText } from '../../src/config/load.ts';
import { RULES } from '../../src/risk/registry.ts';

const DESIGN_EXAMPLE = `
timezone: America/Chicago        # trading-day zone
resetTime: "17:00"               # trading-day boundary
instruments:                     # extra or overriding instruments
  - { symbol: BTCUSD, tickSize: "0.01", tickValue: "0.01", currency: USD }
risk:
  rules:                         # omitted rule = disabled
    RULE-001: { limit: 5, count: gross, action: trim }     # or close_all
    RULE-002: { limits: { MNQ: 4, ES: 1 }, unknownSymbol: block, action: trim }
    RULE-003: { limit: "500", includeFees: true }
    RULE-004: { limit: "300" }
    RULE-005: { target: "1000" }
    RULE-006: { perMinute: 3, perHour: 10, perSession: 50, cooldowns: { minute: "60s", hour: "30m", session: reset } }
    RULE-007: { tiers: [ { loss: "100", cooldown: "5m" }, { loss: "200", cooldown: "15m" }, { loss: "300", cooldown: "30m" } ] }
    RULE-008: { grace: "10s", stopTypes: [stop, stop_limit, trailing_stop] }
    RULE-009: { timezone: America/Chicago, sessions: [ { start: "08:30", end: "15:00", days: [mon, tue, wed, thu, fri] } ], holidays: cme }
    RULE-010: {}
    RULE-011: { blocked: ["CL*", "6?"] }   # glob, case-insensitive
    RULE-012: { breakevenAfterTicks: 10, trailAfterTicks: 20, trailByTicks: 10 }
    RULE-013: { target: "1000", includeFees: true }
    RULE-014: { limit: "2000", mode: intraday }   # or eod
    RULE-015: {}                                  # uses the loss room of RULE-003 / RULE-014
    RULE-016: { maxOrdersPerSecond: 5, maxOrderQty: 10, maxNotional: "500000" }
paper:
  accounts: [ { id: A1, balance: "50000" }, { id: A2, balance: "100000" } ]
accounts:                        # per-account overrides: each rule's keys replace the global ones key by key
  A2: { risk: { rules: { RULE-003: { limit: "1000" } } } }
`;

test('DESIGN §7 example with all 16 rules validates', () => {
  assert.equal(RULES.length, 16);
  assert.deepEqual(validateConfigText(DESIGN_EXAMPLE).problems, []);
});

test('bad values in the new rules are named by path', () => {
  const bad = DESIGN_EXAMPLE.replace('perMinute: 3,', 'perMinute: 3.5,')
    .replace('cooldown: "15m"', 'cooldown: "15 min"')
    .replace('grace: "10s"', 'grace: "10s", extra: 1')
    .replace('days: [mon, tue', 'days: [mon, tues')
    .replace('mode: intraday', 'mode: weekly')
    .replace('maxNotional: "500000"', 'maxNotional: 500000.5');
  const paths = validateConfigText(bad)
    .problems.map((p) => p.path)
    .sort();
  assert.deepEqual(paths, [
    'risk.rules.RULE-006.perMinute',
    'risk.rules.RULE-007.tiers.1.cooldown',
    'risk.rules.RULE-008',
    'risk.rules.RULE-009.sessions.0.days.1',
    'risk.rules.RULE-014.mode',
    'risk.rules.RULE-016.maxNotional',
  ]);
});
