import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { parseEvent } from '../domain/events.ts';
import { createEngine } from './factory.ts';
import { accountStatus, formatAccountStatus } from './account-status.ts';

function statusAfterLoss(rules: string) {
  const engine = createEngine(configSchema.parse(parse(`risk:\n  rules:\n${rules}`)));
  const fill = (m: number, side: 'buy' | 'sell', price: string) =>
    parseEvent({
      ts: new Date(Date.UTC(2026, 2, 5, 15, m)).toISOString(),
      type: 'fill',
      account: 'A',
      orderId: `o${m}`,
      fillId: `f${m}`,
      symbol: 'MNQ',
      side,
      qty: 1,
      price,
    });
  // MNQ: 2 per point, so a 100-point round trip loses 200.
  for (const e of [fill(0, 'buy', '18000'), fill(1, 'sell', '17900')]) engine.process(e);
  return accountStatus(engine, 'A')!;
}

test('the loss room is the least room of the loss limits enabled', () => {
  const both = statusAfterLoss(
    '    RULE-001: { limit: 1 }\n    RULE-003: { limit: "300" }\n    RULE-014: { limit: "500" }\n',
  );
  assert.equal(both.day.grossRealizedPnl, '-200');
  assert.equal(both.lossRoom, '100');
  assert.match(formatAccountStatus(both), /^loss room {4}100$/m);
  assert.equal(statusAfterLoss('    RULE-014: { limit: "500" }\n').lossRoom, '300');
});

test('without a loss limit there is no loss room, whatever else is enabled', () => {
  const s = statusAfterLoss('    RULE-001: { limit: 1 }\n    RULE-006: { perMinute: 5 }\n');
  assert.equal(s.lossRoom, null);
  assert.ok(s.distances.length > 0);
  assert.match(formatAccountStatus(s), /^loss room {4}no loss limit configured$/m);
});
