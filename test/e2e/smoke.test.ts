/**
 * `riskgate smoke` as a user runs it (DESIGN §5): a spawned CLI, real paper broker, SQLite
 * journal in a temp dir. Exit 0 with the 8 checkpoints in order and the broker-confirmed
 * enforcement; 2 when stalled, naming the last checkpoint; 1 on an exception.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKPOINTS } from '../../src/node/gateway-smoke.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function smoke(...args: string[]): { status: number | null; lines: string[]; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'bin/riskgate.mjs'), 'smoke', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, lines: r.stdout.split('\n').filter(Boolean), stderr: r.stderr };
}

test('smoke: all 8 checkpoints in order, then the enforcement confirmed by the broker; exit 0', () => {
  const r = smoke('--timeout', '20');
  assert.equal(r.status, 0, r.lines.join('\n') + r.stderr);
  assert.deepEqual(
    r.lines.slice(0, 8).map((l) => /^smoke: \[(\d)\/8\] ([a-z ]+):/.exec(l)?.slice(1, 3).join(' ')),
    CHECKPOINTS.map((c, i) => `${i + 1} ${c}`),
  );
  assert.equal(r.lines.length, 9);
  assert.match(r.lines[6]!, /RULE-004 close_position MES/);
  assert.match(
    r.lines[8]!,
    /enforcement confirmed by the broker: PAPER-1 MES position 0, 0 working order\(s\); journal \d+ records, chain intact/,
  );
});

test('smoke --dry-run: the enforcement is journaled, the broker position stays open; exit 0', () => {
  const r = smoke('--dry-run');
  assert.equal(r.status, 0, r.lines.join('\n') + r.stderr);
  assert.match(
    r.lines.at(-1)!,
    /confirmed \(dry run\): journaled, no broker call; broker position PAPER-1 MES 1 left open/,
  );
});

test('smoke stalled after a checkpoint: exit 2 naming the last checkpoint reached', () => {
  const r = smoke('--stall-after', 'event received', '--timeout', '1.5');
  assert.equal(r.status, 2, r.lines.join('\n') + r.stderr);
  assert.equal(r.lines.filter((l) => /^smoke: \[\d\/8\]/.test(l)).length, 6);
  assert.equal(r.lines.at(-1), 'smoke: STALLED after 1500 ms; last checkpoint reached: 6/8 event received');
});

test('smoke with an impossible timeout: exit 2', () => {
  const r = smoke('--timeout', '0.001');
  assert.equal(r.status, 2, r.lines.join('\n') + r.stderr);
  assert.match(r.lines.at(-1)!, /^smoke: STALLED after 1 ms; last checkpoint reached: \d\/8/);
});

test('smoke with a broken config: exit 1 naming the failure', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-smoke-test-'));
  try {
    const cfg = path.join(dir, 'bad.yaml');
    writeFileSync(cfg, 'risk:\n  rules:\n    RULE-999: {}\n');
    const r = smoke('--config', cfg);
    assert.equal(r.status, 1, r.lines.join('\n') + r.stderr);
    assert.match(r.lines.at(-1)!, /FAILED \(exception after checkpoint 1\/8 service start\): ERR_CONFIG_INVALID/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
