/**
 * Graduation stages: a limited-live account's contract cap is its RULE-001 limit (gross), a lower
 * configured limit stays, other accounts and stages are untouched, and leaving `limited` loosens
 * only at the reset (the stricter config in force keeps the cap).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { configSchema } from './schema.ts';
import { resolveRules } from './rules.ts';
import { tightestOf } from './tightening.ts';

const config = (yaml: string) => configSchema.parse(parse(yaml));
const rule001 = (c: ReturnType<typeof config>, account: string) =>
  resolveRules(c, account).find((r) => r.rule.id === 'RULE-001')?.config as
    { limit: bigint; count: string; action: string } | undefined;

test('stage limited: RULE-001 at the cap (default 1), counted gross, with the configured action', () => {
  const c = config(`
risk: { rules: { RULE-001: { limit: 5, count: net, action: close_all } } }
accounts: { L: { stage: limited }, P: { stage: paper } }
`);
  assert.deepEqual(
    { ...rule001(c, 'L'), limit: String(rule001(c, 'L')!.limit) },
    { limit: String(10n ** 18n), count: 'gross', action: 'close_all' },
  );
  assert.equal(rule001(c, 'P')?.limit, 5n * 10n ** 18n, 'other stages add nothing');
  assert.equal(rule001(c, 'OTHER')?.limit, 5n * 10n ** 18n);
});

test('a lower configured limit stays; maxContracts sets the cap; RULE-001 is enabled for a limited account', () => {
  const lower = config(
    'risk: { rules: { RULE-001: { limit: 1 } } }\naccounts: { L: { stage: limited } }\nlimitedLive: { maxContracts: 3 }\n',
  );
  assert.equal(rule001(lower, 'L')?.limit, 10n ** 18n);
  const none = config('accounts: { L: { stage: limited } }\nlimitedLive: { maxContracts: 2 }\n');
  assert.equal(rule001(none, 'L')?.limit, 2n * 10n ** 18n);
  assert.equal(rule001(none, 'L')?.action, 'trim');
});

test('leaving limited waits for the reset: the config in force keeps the cap; entering it applies at once', () => {
  const limited = config('accounts: { L: { stage: limited } }\n');
  const live = config('accounts: { L: { stage: live } }\n');
  assert.equal(rule001(tightestOf(limited, live), 'L')?.limit, 10n ** 18n);
  assert.equal(rule001(tightestOf(live, limited), 'L')?.limit, 10n ** 18n);
  assert.equal(rule001(live, 'L'), undefined);
});

test('an unknown stage or a cap below 1 is a validation error naming its path', () => {
  const bad = configSchema.safeParse(parse('accounts: { L: { stage: pro } }\nlimitedLive: { maxContracts: 0 }\n'));
  assert.equal(bad.success, false);
  const paths = bad.error!.issues.map((i) => i.path.join('.'));
  assert.deepEqual(paths.sort(), ['accounts.L.stage', 'limitedLive.maxContracts']);
});
