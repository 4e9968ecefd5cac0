import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfigText } from './load.ts';

const section =
  'strategies:\n  account: PAPER-1\n  symbol: ES\n  candidates: ["sma-cross:period=20", "sma-cross:period=50"]\n';

test('strategies: a paper node takes the section; durations and selector settings default', () => {
  const { config, problems } = validateConfigText(section);
  assert.deepEqual(problems, []);
  assert.equal(config?.strategies?.barInterval, '1m');
  assert.equal(config?.strategies?.every, '15m');
  assert.deepEqual(config?.strategies?.select, {});
});

test('strategies: refused on a live venue, naming the section', () => {
  const { problems } = validateConfigText(
    `${section}broker: { kind: projectx, baseUrl: https://api.example.com, userName: u, apiKeyEnv: K }\n`,
  );
  const p = problems.find((x) => x.path === 'strategies');
  assert.ok(p, JSON.stringify(problems));
  assert.match(p.message, /only on the paper broker.*projectx/);
});

test('strategies: bad candidates, durations and selector settings are errors naming their path', () => {
  const paths = (extra: string) => validateConfigText(section + extra).problems.map((p) => p.path);
  assert.deepEqual(paths('  every: soon\n'), ['strategies.every']);
  assert.deepEqual(paths('  barInterval: 10ms\n'), ['strategies.barInterval']);
  assert.deepEqual(paths('  schedule: "every quarter hour"\n'), ['strategies.schedule']);
  assert.deepEqual(paths('  schedule: "0 */15 * * * *"\n'), []);
  assert.deepEqual(paths('  select: { lookback: 1 }\n'), ['strategies.select']);
  assert.deepEqual(paths('  select: { lookbak: 20 }\n'), ['strategies.select']);
  assert.deepEqual(
    validateConfigText('strategies: { account: A, symbol: ES, candidates: ["sma-cross period=2"] }\n').problems.map(
      (p) => p.path,
    ),
    ['strategies.candidates.0'],
  );
  assert.deepEqual(
    validateConfigText('strategies: { account: A, symbol: ES, candidates: [orb, orb] }\n').problems.map((p) => p.path),
    ['strategies.candidates'],
  );
});
