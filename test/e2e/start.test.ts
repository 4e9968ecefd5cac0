/**
 * `riskgate start`: the trading node on a SQLite store runs, stops cleanly and resumes; the quick
 * start shows fills, P&L and rules acting; a second writer on a running data dir gets a clear
 * error while the node keeps running; read-only commands work beside it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startNode } from '../fixtures/running-node.ts';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const run = (...args: string[]) =>
  spawnSync('node', ['bin/riskgate.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

/** The pino lines of a run (JSON when stdout is not a terminal). */
function messages(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => String((JSON.parse(l) as { msg: string }).msg));
}

test('start runs the paper node, journals market data, stops cleanly and resumes from the store', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-start-'));
  const dataDir = path.join(dir, 'data');
  const cfg0 = path.join(dir, 'loose.yaml');
  writeFileSync(cfg0, 'risk:\n  rules:\n    RULE-001: { limit: 5 }\n');
  const first = run(
    'start',
    '--port',
    '0',
    '--config',
    cfg0,
    '--data-dir',
    dataDir,
    '--feed-ms',
    '50',
    '--run-for',
    '2500',
  );
  assert.equal(first.status, 0, first.stderr);
  const log1 = messages(first.stdout);
  assert.ok(
    log1.some((m) => /^new store/.test(m)),
    log1.join('\n'),
  );
  assert.ok(log1.some((m) => /^running: paper broker, accounts PAPER-1; enforce mode; rules RULE-001/.test(m)));
  assert.ok(log1.some((m) => /^stopped \(run-for elapsed\)/.test(m)));
  assert.ok(!log1.some((m) => /demo trader/.test(m)), 'no demo trader with a config file');
  const verify = run('journal', 'verify', path.join(dataDir, 'journal.db'));
  assert.equal(verify.status, 0, verify.stdout);
  const records = Number(/ok: (\d+) records/.exec(verify.stdout)?.[1]);
  assert.ok(records > 5, `market data journaled (${records} records)`);

  const cfg = path.join(dir, 'tight.yaml');
  writeFileSync(cfg, 'risk:\n  rules:\n    RULE-001: { limit: 2 }\n');
  const second = run(
    'start',
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--config',
    cfg,
    '--feed-ms',
    '50',
    '--run-for',
    '1500',
  );
  assert.equal(second.status, 0, second.stderr);
  const log2 = messages(second.stdout);
  assert.ok(log2.some((m) => /^existing store/.test(m)));
  assert.ok(
    log2.some((m) => /config change: stricter limits in force now/.test(m)),
    log2.join('\n'),
  );
  assert.equal(run('journal', 'verify', path.join(dataDir, 'journal.db')).status, 0);
});

test('the quick start: the demo trader trades, a rule closes its unprotected position and another rejects its oversized order', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-quick-'));
  const cfg = path.join(dir, 'fast.yaml');
  // The starter rules with a 1 s grace period, so the test need not wait 20 s.
  writeFileSync(cfg, 'risk:\n  rules:\n    RULE-001: { limit: 5, action: close_all }\n    RULE-008: { grace: "1s" }\n');
  const r = run(
    'start',
    '--port',
    '0',
    '--config',
    cfg,
    '--demo',
    '--demo-step-ms',
    '300',
    '--data-dir',
    path.join(dir, 'data'),
    '--feed-ms',
    '50',
    '--run-for',
    '4500',
  );
  assert.equal(r.status, 0, r.stderr);
  const log = messages(r.stdout);
  assert.ok(
    log.some((m) => /^fill PAPER-1 buy 2 MES @ \d/.test(m)),
    log.join('\n'),
  );
  assert.ok(
    log.some((m) => /^breach RULE-008 close_position MES/.test(m)),
    log.join('\n'),
  );
  assert.ok(log.some((m) => /^enforcement close_position MES \(RULE-008\): confirmed/.test(m)));
  assert.ok(
    log.some((m) => /^demo trader: buy 8 MES without a stop: rejected by RULE-001/.test(m)),
    log.join('\n'),
  );
  const status = run('trader', 'status', 'PAPER-1', '--data-dir', path.join(dir, 'data'), '--json');
  assert.equal(status.status, 0, status.stderr);
  const s = JSON.parse(status.stdout) as { day: { fills: number; netRealizedPnl: string } };
  assert.ok(s.day.fills >= 2, 'the demo fills are booked');
  assert.match(s.day.netRealizedPnl, /^-?\d+(\.\d+)?$/);
});

test('a second writer on a running data dir gets a clear error naming the node, which keeps running', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-owner-'));
  const dataDir = path.join(dir, 'data');
  const node = await startNode(['--no-demo', '--data-dir', dataDir, '--feed-ms', '50']);
  let exitCode: number | null;
  try {
    assert.match(node.output(), /"msg":"running:/);
    // admin lock and config apply go through the running node's API (test/e2e/cli-api.test.ts).
    for (const args of [['start', '--port', '0', '--data-dir', dataDir, '--run-for', '500']]) {
      const r = run(...args);
      assert.equal(r.status, 1, `${args[0]}: ${r.stdout}`);
      assert.match(
        r.stderr,
        /^riskgate: ERR_STORE_LOCKED: .* is in use by `riskgate start --data-dir .*` \(pid \d+/m,
        args.join(' '),
      );
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    const status = run('trader', 'status', 'PAPER-1', '--data-dir', dataDir);
    assert.equal(status.status, 0, status.stderr);
    assert.match(status.stdout, /account\s+PAPER-1/);
    assert.ok(node.running(), 'the node is still running');
  } finally {
    exitCode = await node.stop();
  }
  assert.equal(exitCode, 0, 'drained and exited cleanly on SIGTERM');
  assert.match(node.output(), /"msg":"stopped \(SIGTERM\)/);
  assert.equal(run('journal', 'verify', path.join(dataDir, 'journal.db')).status, 0);
  const lock = run('admin', 'lock', 'PAPER-1', '--reason', 'after the node stopped', '--data-dir', dataDir);
  assert.equal(lock.status, 0, lock.stderr);
});

test('the first start on loopback prints one admin key for the dashboard; later starts do not', async () => {
  const dataDir = path.join(mkdtempSync(path.join(tmpdir(), 'rg-first-key-')), 'data');
  const first = await startNode(['--no-demo', '--data-dir', dataDir]);
  let url: string | undefined;
  let key: string | undefined;
  try {
    const dashboardLine = () => messages(first.output()).find((m) => m.startsWith('dashboard: open '));
    for (let waited = 0; !dashboardLine() && first.running() && waited < 10_000; waited += 50)
      await new Promise((r) => setTimeout(r, 50));
    const line = dashboardLine();
    assert.ok(line, first.output());
    [, url, key] = /^dashboard: open (\S+)\/ and log in with the admin API key (rg_\S+) /.exec(line) ?? [];
    assert.ok(url && key, line);
    const accounts = await fetch(`${url}/api/v1/accounts`, { headers: { 'x-api-key': key } });
    assert.equal(accounts.status, 200, 'the printed key is an admin key that works');
  } finally {
    assert.equal(await first.stop(), 0);
  }
  const again = await startNode(['--no-demo', '--data-dir', dataDir]);
  try {
    assert.ok(again.running(), again.output());
    assert.doesNotMatch(again.output(), /log in with the admin API key/, 'shown once');
    const keys = run('admin', 'apikey', 'list', '--data-dir', dataDir);
    assert.equal(keys.status, 0, keys.stderr);
    assert.equal((keys.stdout.match(/first start/g) ?? []).length, 1, keys.stdout);
  } finally {
    assert.equal(await again.stop(), 0);
  }
});
