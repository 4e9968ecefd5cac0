import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev } from '../../../test/fixtures/scenario.ts';

const t = (hms: string) => `2026-04-07T${hms}Z`;
const CFG = `
risk:
  rules:
    RULE-003: { limit: "500" }
    RULE-015: {}
accounts:
  A2: { risk: { rules: { RULE-003: { limit: "1000" } } } }
`;
const rejectedBy = (
  s: ReturnType<typeof scenario>,
  ts: string,
  account: string,
  side: 'buy' | 'sell',
  qty: number,
  extra: Record<string, unknown>,
) => s.feed(ev.order(ts, account, `o-${ts}-${account}`, 'MNQ', side, qty, extra)).map((d) => d.rule);

test('RULE-015: worst-case loss to the stop against the RULE-003 room (limit + day realized)', () => {
  const s = scenario(CFG);
  s.feed(ev.quote(t('14:00:00.000'), 'MNQ', '18000'));
  // MNQ point value 2: 2 lots × 100 points = 400.
  assert.deepEqual(rejectedBy(s, t('14:01:00.000'), 'A1', 'buy', 2, { stopPrice: '17900' }), []);
  assert.deepEqual(
    rejectedBy(s, t('14:01:01.000'), 'A1', 'buy', 2, { stopPrice: '17875' }),
    [],
    '500 = the room exactly fits',
  );
  assert.deepEqual(rejectedBy(s, t('14:01:02.000'), 'A1', 'buy', 2, { stopPrice: '17870' }), ['RULE-015'], '520 > 500');
  assert.deepEqual(rejectedBy(s, t('14:01:03.000'), 'A1', 'buy', 2, {}), ['RULE-015'], 'no stop: unbounded');
  assert.deepEqual(
    rejectedBy(s, t('14:01:04.000'), 'A1', 'sell', 1, { orderType: 'stop', stopPrice: '18250' }),
    [],
    'a sell stop order 250 points away: 500',
  );
  assert.deepEqual(
    rejectedBy(s, t('14:01:05.000'), 'A1', 'buy', 2, { orderType: 'limit', price: '17950', stopPrice: '17830' }),
    [],
    'entry at the limit price: 480',
  );
  // Per-account override: A2's daily limit is 1000.
  assert.deepEqual(rejectedBy(s, t('14:01:06.000'), 'A2', 'buy', 2, { stopPrice: '17870' }), []);
});

test('RULE-015: a realized loss shrinks the room', () => {
  const s = scenario(CFG);
  s.feed(
    ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 1, '18000', '0.50'),
    ev.fill(t('14:01:00.000'), 'A1', 'MNQ', 'sell', 1, '17900', '0.50'),
  );
  // Day net −201 → room 299 at mark 17900.
  assert.deepEqual(rejectedBy(s, t('14:02:00.000'), 'A1', 'buy', 1, { stopPrice: '17750.5' }), [], '299');
  assert.deepEqual(rejectedBy(s, t('14:02:01.000'), 'A1', 'buy', 1, { stopPrice: '17750.25' }), ['RULE-015'], '299.50');
});

test('RULE-015: uses RULE-014 room when enabled, the smaller room wins; with no loss rule it allows all', () => {
  const s = scenario(`
risk:
  rules:
    RULE-003: { limit: "500" }
    RULE-014: { limit: "300" }
    RULE-015: {}
`);
  s.feed(ev.quote(t('14:00:00.000'), 'MNQ', '18000'));
  assert.deepEqual(
    rejectedBy(s, t('14:01:00.000'), 'A1', 'buy', 1, { stopPrice: '17850' }),
    [],
    '300 fits RULE-014 room',
  );
  assert.deepEqual(rejectedBy(s, t('14:01:01.000'), 'A1', 'buy', 1, { stopPrice: '17849.75' }), ['RULE-015']);
  const none = scenario('risk: { rules: { RULE-015: {} } }');
  assert.deepEqual(rejectedBy(none, t('14:01:00.000'), 'A1', 'buy', 5, {}), []);
});

test('RULE-015: risk-reducing orders are never checked', () => {
  const s = scenario(CFG);
  s.feed(ev.fill(t('14:00:00.000'), 'A1', 'MNQ', 'buy', 2, '18000'));
  assert.deepEqual(rejectedBy(s, t('14:01:00.000'), 'A1', 'sell', 2, {}), []);
});
