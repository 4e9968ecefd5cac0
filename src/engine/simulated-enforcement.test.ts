import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev } from '../../test/fixtures/scenario.ts';

const cfg = 'risk: { rules: { RULE-004: { limit: "150" }, RULE-001: { limit: 2, action: trim } } }';
const T = (hhmm: string) => `2026-04-07T${hhmm}:00.000Z`;

test('enforce mode: a breach is executed at the mark (close, trim); shadow keeps the recorded facts', () => {
  const events = [ev.fill(T('14:00'), 'A', 'ES', 'buy', 1, '5200'), ev.quote(T('14:01'), 'ES', '5196'), ev.fill(T('14:02'), 'A', 'MNQ', 'buy', 3, '18000')];
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
