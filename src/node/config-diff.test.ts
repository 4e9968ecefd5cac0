import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changedPaths } from './config-diff.ts';

test('changedPaths names each changed leaf, added and removed keys, and a list as one', () => {
  const before = { risk: { rules: { 'RULE-003': { limit: '500' }, 'RULE-011': { blocked: ['CL*'] } } }, tz: 'UTC' };
  const after = {
    risk: {
      rules: { 'RULE-003': { limit: '400' }, 'RULE-011': { blocked: ['CL*', 'NG*'] }, 'RULE-001': { limit: 3 } },
    },
    tz: 'UTC',
  };
  assert.deepEqual(changedPaths(before, after), [
    'risk.rules.RULE-001',
    'risk.rules.RULE-003.limit',
    'risk.rules.RULE-011.blocked',
  ]);
  assert.deepEqual(changedPaths(after, after), []);
});
