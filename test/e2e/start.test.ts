/** `riskgate start`: the paper gateway on a SQLite store runs, stops cleanly, and resumes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const run = (...args: string[]) => spawnSync('node', ['bin/riskgate.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

test('start runs the paper gateway, journals market data, stops cleanly and resumes from the store', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-start-'));
  const dataDir = path.join(dir, 'data');
  const first = run('start', '--data-dir', dataDir, '--feed-ms', '40', '--run-for', '2500');
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /new store/);
  assert.match(first.stdout, /riskgate running: paper broker, accounts PAPER-1/);
  assert.match(first.stdout, /riskgate stopped/);
  const verify = run('journal', 'verify', path.join(dataDir, 'journal.db'));
  assert.equal(verify.status, 0, verify.stdout);
  const records = Number(/ok: (\d+) records/.exec(verify.stdout)?.[1]);
  assert.ok(records > 5, `market data journaled (${records} records)`);

  const cfg = path.join(dir, 'tight.yaml');
  writeFileSync(cfg, 'risk:\n  rules:\n    RULE-001: { limit: 2 }\n');
  const second = run('start', '--data-dir', dataDir, '--config', cfg, '--feed-ms', '40', '--run-for', '1500');
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /existing store/);
  assert.match(second.stdout, /config change: stricter limits in force now/);
  assert.match(second.stdout, /rules RULE-001/);
  assert.equal(run('journal', 'verify', path.join(dataDir, 'journal.db')).status, 0);
});

test('start --demo replays the bundled demo events', () => {
  const r = run('start', '--demo');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Account PAPER-1/);
  assert.match(r.stdout, /events: \d+/);
});
