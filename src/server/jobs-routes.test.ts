/**
 * Replay and research jobs over the API (issues 17, 18): the report of `POST /api/v1/replays` is
 * the JSON `riskgate replay --report json` prints (the CLI spawned on the same files), a
 * comparison that of `--compare`, research reports those of `riskgate research … --report json`;
 * input mistakes are 400s naming the field; another key's job is the one 404.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fixture, FIXTURE_CONFIG, type Fixture } from './test-fixture.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const EVENTS = `${root}examples/readme/events.ndjson`;
const CONFIG = `${root}examples/readme/config.yaml`;
const STRICTER = 'risk:\n  rules:\n    RULE-004: { limit: "1" }\n';

function cli(...args: string[]): unknown {
  const r = spawnSync(process.execPath, ['bin/riskgate.mjs', ...args], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

let f: Fixture;
before(async () => {
  f = await fixture();
});
after(async () => {
  await f.close();
});

async function finished(url: string, key: string): Promise<Record<string, unknown>> {
  for (let i = 0; i < 600; i++) {
    const r = await f.call('GET', url, key);
    assert.equal(r.statusCode, 200, r.body);
    const body = r.json();
    if (body.status === 'done' || body.status === 'failed') return body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`${url} did not finish`);
}

test('a replay job reports what riskgate replay --report json prints', async () => {
  const events = readFileSync(EVENTS, 'utf8');
  const r = await f.call('POST', '/api/v1/replays', f.k.viewer, { events, config: readFileSync(CONFIG, 'utf8') });
  assert.equal(r.statusCode, 202, r.body);
  assert.equal(r.headers.location, `/api/v1/replays/${r.json().id}`);
  const job = await finished(`/api/v1/replays/${r.json().id}`, f.k.viewer);
  assert.equal(job.status, 'done', JSON.stringify(job.error));
  assert.deepEqual(job.report, cli('replay', EVENTS, '--config', CONFIG, '--report', 'json'));
  // Another key's job is the same 404 as a missing one.
  const other = await f.call('GET', `/api/v1/replays/${r.json().id}`, f.k.trader);
  assert.equal(other.statusCode, 404);
  assert.equal(other.json().error.code, 'ERR_JOB_UNKNOWN');
  assert.equal((await f.call('GET', `/api/v1/replays/${r.json().id}`, f.k.admin)).statusCode, 200);
});

test('an NDJSON body replays without rules; events as objects replay the same', async () => {
  const events = readFileSync(EVENTS, 'utf8');
  const raw = await f.app.inject({
    method: 'POST',
    url: '/api/v1/replays?mode=shadow',
    headers: { 'x-api-key': f.k.viewer, 'content-type': 'application/x-ndjson' },
    payload: events,
  });
  assert.equal(raw.statusCode, 202, raw.body);
  const objects = await f.call('POST', '/api/v1/replays', f.k.viewer, {
    events: events
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as unknown),
  });
  assert.equal(objects.statusCode, 202, objects.body);
  const a = await finished(`/api/v1/replays/${raw.json().id}`, f.k.viewer);
  const b = await finished(`/api/v1/replays/${objects.json().id}`, f.k.viewer);
  assert.deepEqual(a.report, cli('replay', EVENTS, '--report', 'json'));
  assert.equal(b.status, 'done');
  assert.deepEqual((b.report as { accounts: unknown }).accounts, (a.report as { accounts: unknown }).accounts);
});

test('a comparison job reports what riskgate replay --compare prints', async () => {
  const r = await f.call('POST', '/api/v1/replays', f.k.viewer, {
    events: readFileSync(EVENTS, 'utf8'),
    config: STRICTER,
    compare: readFileSync(CONFIG, 'utf8'),
    mode: 'shadow',
  });
  assert.equal(r.statusCode, 202, r.body);
  assert.equal(r.json().kind, 'compare');
  const job = await finished(`/api/v1/replays/${r.json().id}`, f.k.viewer);
  assert.equal(job.status, 'done', JSON.stringify(job.error));
  const tmp = mkdtempSync(`${f.dir}/cmp-`);
  writeFileSync(`${tmp}/new.yaml`, STRICTER);
  assert.deepEqual(
    job.report,
    cli('replay', EVENTS, '--config', `${tmp}/new.yaml`, '--compare', CONFIG, '--report', 'json'),
  );
  const progress = job.progress as { done: number; total: number };
  assert.ok(progress.total > 0 && progress.done === progress.total, JSON.stringify(progress));
});

test('replay input mistakes are 400s naming the field; a bad event fails the job naming its line', async () => {
  const cases: [unknown, string, string][] = [
    [{}, 'ERR_INPUT_INVALID', 'events'],
    [
      { events: '{"ts":1}\n', config: 'risk: { rules: { RULE-004: { limit: nope } } }' },
      'ERR_CONFIG_INVALID',
      'body.config',
    ],
    [{ events: '{}\n', compare: 'risk: {}' }, 'ERR_INPUT_INVALID', 'body.config'],
    [{ events: '{}\n', mode: 'live' }, 'ERR_INPUT_INVALID', 'mode'],
    [{ events: '   ' }, 'ERR_INPUT_INVALID', 'body.events'],
  ];
  for (const [body, code, field] of cases) {
    const r = await f.call('POST', '/api/v1/replays', f.k.viewer, body);
    assert.equal(r.statusCode, 400, `${JSON.stringify(body)} → ${r.body}`);
    assert.equal(r.json().error.code, code);
    assert.match(r.json().error.message, new RegExp(field.replace('.', '\\.')));
  }
  const big = await f.app.inject({
    method: 'POST',
    url: '/api/v1/replays',
    headers: { 'x-api-key': f.k.viewer, 'content-type': 'application/x-ndjson' },
    payload: 'x'.repeat(17 * 1024 * 1024),
  });
  assert.equal(big.statusCode, 413);
  const bad = await f.call('POST', '/api/v1/replays', f.k.viewer, { events: '{"type":"quote"}\n' });
  assert.equal(bad.statusCode, 202);
  const job = await finished(`/api/v1/replays/${bad.json().id}`, f.k.viewer);
  assert.equal(job.status, 'failed');
  assert.match((job.error as { message: string }).message, /line 1/);
});

test('research sweeps and walk-forwards report what the CLI prints, with progress', async () => {
  const params = ['period=10..20:10', 'qty=1,2'];
  const sweep = await f.call('POST', '/api/v1/research/sweeps', f.k.viewer, { strategy: 'sma-cross', params });
  assert.equal(sweep.statusCode, 202, sweep.body);
  const s = await finished(`/api/v1/research/sweeps/${sweep.json().id}`, f.k.viewer);
  assert.equal(s.status, 'done', JSON.stringify(s.error));
  assert.deepEqual(s.progress, { done: 4, total: 4 });
  const flags = params.flatMap((p) => ['--param', p]);
  assert.deepEqual(
    s.report,
    cli(
      'research',
      'sweep',
      '--strategy',
      'sma-cross',
      ...flags,
      '--report',
      'json',
      '--no-progress',
      '--workers',
      '1',
    ),
  );
  // A sweep is not a walk-forward: its id under the other path is the one 404.
  assert.equal((await f.call('GET', `/api/v1/research/walkforwards/${sweep.json().id}`, f.k.viewer)).statusCode, 404);
  const wf = await f.call('POST', '/api/v1/research/walkforwards', f.k.viewer, {
    strategy: 'sma-cross',
    params,
    inSample: 1000,
    outOfSample: 500,
  });
  assert.equal(wf.statusCode, 202, wf.body);
  const w = await finished(`/api/v1/research/walkforwards/${wf.json().id}`, f.k.viewer);
  assert.equal(w.status, 'done', JSON.stringify(w.error));
  assert.deepEqual(
    w.report,
    cli(
      'research',
      'walkforward',
      '--strategy',
      'sma-cross',
      ...flags,
      '--in-sample',
      '1000',
      '--out-of-sample',
      '500',
      '--report',
      'json',
      '--no-progress',
      '--workers',
      '1',
    ),
  );
});

test("a sweep withRules runs the node's rules: the report of the CLI with --config of the same YAML", async () => {
  const params = ['period=10,20', 'qty=1,5'];
  const r = await f.call('POST', '/api/v1/research/sweeps', f.k.viewer, {
    strategy: 'sma-cross',
    params,
    withRules: true,
    account: 'A2',
  });
  assert.equal(r.statusCode, 202, r.body);
  const job = await finished(`/api/v1/research/sweeps/${r.json().id}`, f.k.viewer);
  assert.equal(job.status, 'done', JSON.stringify(job.error));
  const tmp = mkdtempSync(`${f.dir}/cfg-`);
  writeFileSync(`${tmp}/node.yaml`, FIXTURE_CONFIG);
  const flags = params.flatMap((p) => ['--param', p]);
  const withConfig = cli(
    'research',
    'sweep',
    '--strategy',
    'sma-cross',
    ...flags,
    '--config',
    `${tmp}/node.yaml`,
    '--account',
    'A2',
    '--report',
    'json',
    '--no-progress',
    '--workers',
    '1',
  );
  assert.deepEqual(job.report, withConfig);
  const without = cli(
    'research',
    'sweep',
    '--strategy',
    'sma-cross',
    ...flags,
    '--account',
    'A2',
    '--report',
    'json',
    '--no-progress',
    '--workers',
    '1',
  );
  // The rules change the outcome (RULE-001 caps A2 at 3 contracts), so the comparison means something.
  assert.notDeepEqual(withConfig, without);
});

test('research input mistakes are 400s naming the body field', async () => {
  const cases: [string, unknown, string][] = [
    ['sweeps', { strategy: 'nope', params: ['period=1'] }, 'body.strategy'],
    ['sweeps', { strategy: 'sma-cross', params: ['period=9..1'] }, 'body.params'],
    ['sweeps', { strategy: 'sma-cross', params: ['period=5'], metric: 'luck' }, 'body.metric'],
    ['sweeps', { strategy: 'sma-cross', params: ['period=1..100000'] }, 'body.params'],
    ['sweeps', { strategy: 'sma-cross', params: ['period=5'], data: '../x.csv' }, 'body.data'],
    ['walkforwards', { strategy: 'sma-cross', params: ['period=5'] }, 'inSample'],
    [
      'walkforwards',
      { strategy: 'sma-cross', params: ['period=5'], inSample: 100000, outOfSample: 10 },
      'body.inSample',
    ],
  ];
  for (const [path, body, field] of cases) {
    const r = await f.call('POST', `/api/v1/research/${path}`, f.k.viewer, body);
    assert.equal(r.statusCode, 400, `${JSON.stringify(body)} → ${r.body}`);
    assert.match(r.json().error.message, new RegExp(field.replace('.', '\\.')), r.body);
  }
});
