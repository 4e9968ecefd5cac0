/**
 * The public replay examples (shared/data/replay-examples) through the real CLI, checked by the
 * project-independent checker `shared/tools/check-replay-examples`, plus byte-identical determinism.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const examples = path.resolve(root, '../shared/data/replay-examples');

test('shared/tools/check-replay-examples: every public example matches', () => {
  const r = spawnSync(path.resolve(root, '../shared/tools/check-replay-examples'), {
    cwd: root,
    encoding: 'utf8',
    timeout: 180_000,
  });
  assert.match(r.stdout, /replay examples: (\d+)\/\1 match/, r.stdout + r.stderr);
  assert.equal(r.status, 0, r.stdout);
});

test('replay is deterministic: the same input gives a byte-identical report', () => {
  for (const name of readdirSync(examples)) {
    if (name.endsWith('.md')) continue;
    const args = [
      'bin/riskgate.mjs',
      'replay',
      path.join(examples, name, 'events.ndjson'),
      '--config',
      path.join(examples, name, 'config.yaml'),
    ];
    const a = execFileSync('node', args, { cwd: root, encoding: 'utf8' });
    const b = execFileSync('node', args, { cwd: root, encoding: 'utf8' });
    assert.equal(a, b, name);
    assert.match(JSON.parse(a).hash, /^[0-9a-f]{64}$/);
  }
});
