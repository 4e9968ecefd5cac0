/**
 * Strategy selection over the API: `POST /api/v1/research/selections` reports what `riskgate
 * research select --report json` prints; input mistakes are 400s naming the body field; the
 * strategy host's selection of an account is at `GET /api/v1/accounts/:id/strategy-selection`.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixture, FIXTURE_CONFIG, type Fixture } from './test-fixture.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));

let f: Fixture;
before(async () => {
  f = await fixture({
    config: `${FIXTURE_CONFIG}strategies: { account: A1, symbol: MES, candidates: ["sma-cross:period=5", "sma-cross:period=9"] }\n`,
  });
});
after(async () => {
  await f.close();
});

async function finished(url: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 1200; i++) {
    const r = await f.call('GET', url, f.k.viewer);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    if (body.status === 'done' || body.status === 'failed') return body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`${url} did not finish`);
}

test('a selection job reports what riskgate research select --report json prints, with progress', async () => {
  const strategies = ['sma-cross:period=20', 'sma-cross:period=50'];
  const settings = { lookback: 1000, rebalance: 1000, maxActive: 1 };
  const r = await f.call('POST', '/api/v1/research/selections', f.k.viewer, { strategies, settings });
  assert.equal(r.statusCode, 202, r.body);
  assert.equal(r.headers.location, `/api/v1/research/selections/${r.json().id}`);
  const job = await finished(`/api/v1/research/selections/${r.json().id}`);
  assert.equal(job.status, 'done', JSON.stringify(job.error));
  // 2 backtests + ⌈(5105 − 1000) / 1000⌉ selections.
  assert.deepEqual(job.progress, { done: 7, total: 7 });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'rg-selapi-')), 'select.json');
  writeFileSync(file, JSON.stringify(settings));
  const cli = spawnSync(
    process.execPath,
    [
      'bin/riskgate.mjs',
      'research',
      'select',
      '--strategies',
      strategies.join(','),
      '--select',
      file,
      '--report',
      'json',
      '--no-progress',
    ],
    { cwd: root, encoding: 'utf8' },
  );
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(job.report, JSON.parse(cli.stdout));
  // A selection is not a sweep: its id under the other path is the one 404.
  assert.equal((await f.call('GET', `/api/v1/research/sweeps/${r.json().id}`, f.k.viewer)).statusCode, 404);
});

test('selection input mistakes are 400s naming the body field', async () => {
  const cases: [unknown, string][] = [
    [{ strategies: ['strategies/buy-and-hold.ts'] }, 'body\\.strategies'],
    [{ strategies: ['nope:period=5'] }, 'body\\.strategies\\[0\\]'],
    [{ strategies: ['sma-cross:period=x'] }, 'period'],
    [{ strategies: ['sma-cross', 'sma-cross'] }, 'body\\.strategies'],
    [{ strategies: ['sma-cross'], settings: { lookbak: 5 } }, 'lookbak'],
    [{ strategies: ['sma-cross'], settings: { lookback: 100000 } }, 'body\\.settings\\.lookback'],
    [{ strategies: ['sma-cross'], data: '../x.csv' }, 'body\\.data'],
  ];
  for (const [body, field] of cases) {
    const r = await f.call('POST', '/api/v1/research/selections', f.k.viewer, body);
    assert.equal(r.statusCode, 400, `${JSON.stringify(body)} → ${r.body}`);
    assert.match(r.json().error.message, new RegExp(field), r.body);
  }
});

test("the strategy host's selection of an account; none elsewhere; a foreign account is the 404", async () => {
  const r = await f.call('GET', '/api/v1/accounts/A1/strategy-selection', f.k.viewer);
  assert.equal(r.statusCode, 200, r.body);
  const body = r.json();
  assert.deepEqual(
    [body.account, body.symbol, body.candidates],
    ['A1', 'MES', ['sma-cross:period=5', 'sma-cross:period=9']],
  );
  assert.equal(body.selection, null, 'no bars yet: no selection');
  const none = await f.call('GET', '/api/v1/accounts/A2/strategy-selection', f.k.admin);
  assert.equal(none.statusCode, 404);
  assert.equal(none.json().error.code, 'ERR_STRATEGY_HOST_NONE');
  const foreign = await f.call('GET', '/api/v1/accounts/A2/strategy-selection', f.k.viewer);
  assert.equal(foreign.json().error.code, 'ERR_ACCOUNT_UNKNOWN');
});
