import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES, RULE_STATES } from './registry.ts';
import { ACCOUNT_FIELDS } from '../engine/snapshot.ts';

test('every registered rule declares the scope its breaches are listed by', () => {
  for (const rule of RULES)
    assert.ok(rule.scope === 'position' || rule.scope === 'account', `${rule.id} scope ${String(rule.scope)}`);
  // DESIGN §5: the per-position rules' first breaches are listed per symbol.
  const perPosition = RULES.filter((r) => r.scope === 'position').map((r) => r.id);
  assert.deepEqual(perPosition, ['RULE-002', 'RULE-004', 'RULE-005', 'RULE-008', 'RULE-011', 'RULE-012']);
});

test('the loss room of an account comes from the loss limits', () => {
  assert.deepEqual(
    RULES.filter((r) => r.limitsLoss).map((r) => r.id),
    ['RULE-003', 'RULE-014'],
  );
});

test('rule states have one key each, apart from the account fields the engine keeps', () => {
  const keys = RULE_STATES.map((s) => s.key);
  assert.deepEqual(keys, ['activity', 'watermark']);
  assert.equal(new Set(keys).size, keys.length, 'one state per key');
  for (const key of keys) assert.ok(!ACCOUNT_FIELDS.has(key), `${key} is an engine field`);
  // Rules reading one history share its state object.
  assert.equal(RULES.find((r) => r.id === 'RULE-006')!.state, RULES.find((r) => r.id === 'RULE-016')!.state);
});
