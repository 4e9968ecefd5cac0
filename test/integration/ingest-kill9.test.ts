/**
 * `riskgate ingest` killed with SIGKILL at random points many times, then finished: the store's
 * report equals a straight replay byte for byte (nothing lost, nothing applied twice), the journal
 * verifies, and admin lock/unlock are journaled and survive restarts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEvents, prng } from '../fixtures/generate-events.ts';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'rg-ingest-'));
const bin = path.join(root, 'bin/riskgate.mjs');
const run = (...args: string[]) =>
  spawnSync('node', [bin, ...args], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });

const events = path.join(dir, 'events.ndjson');
writeFileSync(
  events,
  [
    ...generateEvents({
      seed: 11,
      start: '2026-03-02T14:00:00.000Z',
      end: '2026-03-20T14:00:00.000Z',
      accounts: ['A1', 'A2', 'A3'],
      symbols: [
        { symbol: 'MNQ', price: 18000, tick: 0.25 },
        { symbol: 'ES', price: 5200, tick: 0.25 },
      ],
      stepMs: 15_000,
      withOrders: true,
      maxPosition: 5,
    }),
  ]
    .map((e) => JSON.stringify(e))
    .join('\n') + '\n',
);
const config = path.join(dir, 'cfg.yaml');
writeFileSync(
  config,
  'risk:\n  rules:\n    RULE-001: { limit: 8 }\n    RULE-003: { limit: "900" }\n    RULE-004: { limit: "400" }\n    RULE-006: { perMinute: 3, cooldowns: { minute: "60s" } }\n    RULE-007: { tiers: [ { loss: "150", cooldown: "5m" } ] }\n    RULE-013: { target: "1200" }\n',
);

function killAfter(ms: number, args: string[]): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn('node', [bin, ...args], { cwd: root, stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

test('ingest survives kill -9 at random points: report equals a straight replay', async () => {
  const straight = run('replay', events, '--config', config);
  assert.equal(straight.status, 0, straight.stderr);
  const dataDir = path.join(dir, 'store');
  const args = [
    'ingest',
    events,
    '--config',
    config,
    '--data-dir',
    dataDir,
    '--chunk-bytes',
    '32768',
    '--snapshot-every',
    '4000',
  ];
  const rnd = prng(5);
  let killed = 0;
  for (let i = 0; i < 12; i++) {
    const code = await killAfter(400 + Math.floor(rnd() * 1200), args);
    if (code === null) killed++;
    else break; // finished before the kill
  }
  assert.ok(killed >= 3, `killed ${killed} times mid-run`);
  const last = run(...args);
  assert.equal(last.status, 0, last.stderr);
  const report = run('report', '--data-dir', dataDir);
  assert.equal(report.status, 0, report.stderr);
  assert.equal(report.stdout, straight.stdout, 'byte-identical to the straight replay, hash included');
  const verify = run('journal', 'verify', path.join(dataDir, 'journal.db'));
  assert.equal(verify.status, 0, verify.stdout);
  // Running again ingests nothing new.
  const again = run(...args);
  assert.match(again.stderr, /ingested 0 event/);
  assert.equal(run('report', '--data-dir', dataDir).stdout, straight.stdout);
});

test('admin lock holds across restarts until an admin unlock; both journaled with their reason', () => {
  const dataDir = path.join(dir, 'admin');
  assert.equal(run('ingest', events, '--config', config, '--data-dir', dataDir).status, 0);
  const at = '2026-03-20T15:00:00.000Z';
  const noReason = run('admin', 'lock', 'A1', '--data-dir', dataDir, '--reason', ' ');
  assert.equal(noReason.status, 1);
  const lock = run('admin', 'lock', 'A1', '--reason', 'suspicious fills', '--data-dir', dataDir, '--at', at, '--json');
  assert.equal(lock.status, 0, lock.stderr);
  const locked = JSON.parse(run('trader', 'status', 'A1', '--data-dir', dataDir, '--json').stdout);
  assert.equal(locked.state, 'REDUCING');
  const adminLock = locked.locks.find((l: { rule: string }) => l.rule === 'ADMIN');
  assert.equal(adminLock?.until, 'admin');
  assert.match(adminLock.reason, /suspicious fills/);
  const unlock = run(
    'admin',
    'unlock',
    'A1',
    '--reason',
    'checked',
    '--data-dir',
    dataDir,
    '--at',
    '2026-03-20T15:05:00.000Z',
    '--json',
  );
  assert.equal(JSON.parse(unlock.stdout).state, 'ACTIVE');
  assert.equal(JSON.parse(run('admin', 'status', 'A1', '--data-dir', dataDir, '--json').stdout).locks.length, 0);
  const unknown = run('trader', 'status', 'NOPE', '--data-dir', dataDir);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /unknown account NOPE/);
  assert.equal(run('journal', 'verify', path.join(dataDir, 'journal.db')).status, 0);
});
