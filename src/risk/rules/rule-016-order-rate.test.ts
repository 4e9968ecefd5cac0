import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev } from '../../../test/fixtures/scenario.ts';

const t = (hms: string) => `2026-04-07T${hms}Z`;
const CFG = `
risk:
  rules:
    RULE-016: { maxOrdersPerSecond: 2, maxOrderQty: 10, maxNotional: "500000" }
`;
const send = (
  s: ReturnType<typeof scenario>,
  ts: string,
  symbol: string,
  side: 'buy' | 'sell',
  qty: number,
  extra: Record<string, unknown> = {},
) =>
  s
    .feed(ev.order(ts, 'A1', `o-${ts}-${side}-${qty}`, symbol, side, qty, extra))
    .map((d) => `${d.rule}:${(d.outcomes[0] as { code?: string }).code}`);

test('RULE-016: more than N opening orders in (t − 1 s, t] are rejected; rejected orders do not use the rate', () => {
  const s = scenario(CFG);
  assert.deepEqual(send(s, t('14:00:00.000'), 'MNQ', 'buy', 1), []);
  assert.deepEqual(send(s, t('14:00:00.500'), 'MNQ', 'buy', 1), []);
  assert.deepEqual(send(s, t('14:00:00.900'), 'MNQ', 'buy', 1), ['RULE-016:ORDER_RATE']);
  assert.deepEqual(send(s, t('14:00:01.000'), 'MNQ', 'buy', 1), [], 'the 14:00:00.000 order left the window');
  assert.deepEqual(send(s, t('14:00:01.100'), 'MNQ', 'buy', 1), ['RULE-016:ORDER_RATE']);
});

test('RULE-016: max order qty and max notional (qty × price × point value)', () => {
  const s = scenario(CFG);
  assert.deepEqual(send(s, t('14:00:00.000'), 'MNQ', 'buy', 11), ['RULE-016:ORDER_QTY']);
  s.feed(ev.quote(t('14:00:01.000'), 'ES', '5000'));
  // ES point value 50: 2 × 5000 × 50 = 500000 (allowed), 2 × 5000.25 × 50 > 500000.
  assert.deepEqual(send(s, t('14:00:02.000'), 'ES', 'buy', 2), []);
  assert.deepEqual(send(s, t('14:00:04.000'), 'ES', 'buy', 2, { orderType: 'limit', price: '5000.25' }), [
    'RULE-016:ORDER_NOTIONAL',
  ]);
});

test('RULE-016: risk-reducing orders are never rejected and do not use the rate', () => {
  const s = scenario(CFG);
  s.feed(ev.fill(t('14:00:00.000'), 'A1', 'ES', 'buy', 12, '5000'));
  assert.deepEqual(send(s, t('14:00:01.000'), 'ES', 'sell', 12), [], 'qty and notional over the limits, but it closes');
  assert.deepEqual(send(s, t('14:00:01.100'), 'ES', 'sell', 1, { reduceOnly: true }), []);
  assert.deepEqual(send(s, t('14:00:01.200'), 'MNQ', 'buy', 1), []);
  assert.deepEqual(send(s, t('14:00:01.300'), 'MNQ', 'buy', 1), []);
  assert.deepEqual(send(s, t('14:00:01.400'), 'MNQ', 'buy', 1), ['RULE-016:ORDER_RATE']);
});
