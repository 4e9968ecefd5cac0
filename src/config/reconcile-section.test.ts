/** The config's `reconcile` section (docs/node.md): a duration of at least one second, kept as written. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfigText } from './load.ts';

test('reconcile.interval: a duration of 1 s or more, default 30s; anything else names its path', () => {
  const ok = validateConfigText('reconcile: { interval: "45s" }\n');
  assert.deepEqual(ok.problems, []);
  assert.equal(ok.config?.reconcile?.interval, '45s');
  assert.equal(validateConfigText('reconcile: {}\n').config?.reconcile?.interval, '30s');
  assert.equal(validateConfigText('risk: { rules: {} }\n').config?.reconcile, undefined);
  const problems = (yaml: string) => validateConfigText(yaml).problems.map((p) => `${p.path}: ${p.message}`);
  assert.deepEqual(problems('reconcile: { interval: "500ms" }\n'), ['reconcile.interval: at least "1s" (got "500ms")']);
  assert.match(problems('reconcile: { interval: "soon" }\n')[0]!, /^reconcile\.interval: not a duration/);
  assert.match(problems('reconcile: { every: "30s" }\n')[0]!, /^reconcile/);
});
