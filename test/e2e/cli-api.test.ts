/**
 * The CLI through a running node's API: with `riskgate start` running on a data dir, `admin lock`,
 * `trader status`, `admin unlock` and `config apply` act through its API (local admin key, 0600)
 * instead of failing on the data-dir lock; the node keeps running and journals the actions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TradingNode } from '../../src/node/node.ts';
import { ApiKeyStore } from '../../src/server/api-keys.ts';
import { LOCAL_ADMIN_LABEL } from '../../src/server/local-admin.ts';
import { startNode } from '../fixtures/running-node.ts';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const run = (...args: string[]) =>
  spawnSync('node', ['bin/riskgate.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

interface Risk {
  account: string;
  locks: { rule: string; reason: string }[];
  state: string;
}

test('admin lock, trader status, admin unlock and config apply go through the running node', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-cli-api-'));
  const dataDir = path.join(dir, 'data');
  const cfg = path.join(dir, 'riskgate.yaml');
  writeFileSync(cfg, 'risk:\n  rules:\n    RULE-001: { limit: 5 }\n');
  const gateway = await startNode(['--no-demo', '--config', cfg, '--data-dir', dataDir, '--feed-ms', '100']);
  let exitCode: number | null;
  try {
    assert.match(gateway.output(), /"msg":"API on http:\/\/127\.0\.0\.1:\d+/);
    const keyFile = path.join(dataDir, 'local-admin.key');
    assert.equal(statSync(keyFile).mode & 0o777, 0o600, 'the local admin key is readable by its owner only');
    assert.equal(statSync(path.join(dataDir, 'api.json')).mode & 0o777, 0o600);
    assert.match(readFileSync(keyFile, 'utf8'), /^rg_[0-9a-f]{12}_/);

    const lock = run('admin', 'lock', 'PAPER-1', '--reason', 'desk review', '--data-dir', dataDir, '--json');
    assert.equal(lock.status, 0, lock.stderr);
    assert.match(lock.stderr, /PAPER-1: locked through the running node at http:\/\/127\.0\.0\.1:\d+/);
    const locked = JSON.parse(lock.stdout) as Risk;
    assert.equal(locked.account, 'PAPER-1');
    assert.ok(
      locked.locks.some((l) => l.reason.includes('desk review')),
      lock.stdout,
    );

    const status = run('trader', 'status', 'PAPER-1', '--data-dir', dataDir, '--json');
    assert.equal(status.status, 0, status.stderr);
    assert.ok((JSON.parse(status.stdout) as Risk).locks.length > 0, 'the running node reports the lock');
    const missing = run('trader', 'status', 'NOPE', '--data-dir', dataDir);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /ERR_ACCOUNT_UNKNOWN/);

    const unlock = run('admin', 'unlock', 'PAPER-1', '--reason', 'review done', '--data-dir', dataDir, '--json');
    assert.equal(unlock.status, 0, unlock.stderr);
    assert.deepEqual((JSON.parse(unlock.stdout) as Risk).locks, []);

    const tight = path.join(dir, 'tight.yaml');
    writeFileSync(tight, 'risk:\n  rules:\n    RULE-001: { limit: 2 }\n');
    const apply = run('config', 'apply', tight, '--data-dir', dataDir);
    assert.equal(apply.status, 0, apply.stderr);
    assert.match(apply.stdout, /stricter limits in force now/);
    assert.match(apply.stderr, /applied through the running node/);
    assert.ok(gateway.running(), 'the node is still running');
  } finally {
    exitCode = await gateway.stop();
  }
  assert.equal(exitCode, 0, gateway.output());
  assert.ok(
    !existsSync(path.join(dataDir, 'local-admin.key')) && !existsSync(path.join(dataDir, 'api.json')),
    'removed at stop',
  );
  const keys = ApiKeyStore.open(dataDir);
  try {
    assert.ok(
      keys
        .list()
        .filter((k) => k.label === LOCAL_ADMIN_LABEL)
        .every((k) => k.revokedAt),
      'the local admin key is revoked at stop',
    );
  } finally {
    keys.close();
  }
  const node = TradingNode.open({ dataDir, readOnly: true });
  try {
    const admin = node.journal({ kind: 'admin', account: 'PAPER-1' });
    assert.deepEqual(
      admin.map((r) => [r.body.action, r.body.reason]),
      [
        ['lock', 'desk review'],
        ['unlock', 'review done'],
      ],
    );
    assert.match(String(admin[0]!.body.actor), /^api:/);
    assert.equal(node.journal({ kind: 'config' }).length >= 1, true, 'the config change is journaled');
  } finally {
    node.close();
  }
  // Without a running node the same commands work on the store.
  const offline = run('admin', 'lock', 'PAPER-1', '--reason', 'after hours', '--data-dir', dataDir);
  assert.equal(offline.status, 0, offline.stderr);
  assert.doesNotMatch(offline.stderr, /through the running node/);
});
