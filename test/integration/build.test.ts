/**
 * The product build (scripts/build.mjs, issue 13.5), made in a copy of the repository so this
 * test never changes the dist/ other tests run: the built CLI runs without TypeScript, starts its
 * worker threads from the bundles in dist/, loads .ts strategies; bin/riskgate.mjs runs dist/
 * only while it was built from the sources as they are, and the sources through tsx otherwise.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repo, riskgate } from '../fixtures/cli.ts';

const MARK = 'RAN-FROM-DIST';
let dir: string;
let copy: string;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rg-build-'));
  copy = path.join(dir, 'riskgate');
  for (const entry of ['src', 'scripts', 'bin', 'examples', 'data-bundled', 'tsconfig.json', 'package.json'])
    cpSync(path.join(repo, entry), path.join(copy, entry), { recursive: true, preserveTimestamps: true });
  symlinkSync(path.join(repo, 'node_modules'), path.join(copy, 'node_modules'));
  execFileSync(process.execPath, [path.join(copy, 'scripts/build.mjs')], { cwd: copy, stdio: 'pipe' });
  // Tells which code bin/riskgate.mjs ran; dist/ is an output, never an input of the stamp.
  const cli = path.join(copy, 'dist/riskgate.mjs');
  writeFileSync(cli, `process.stderr.write('${MARK}\\n');\n${readFileSync(cli, 'utf8')}`);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function built(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(copy, 'dist/riskgate.mjs'), ...args], {
    cwd: copy,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function viaBin(): boolean {
  const r = spawnSync(process.execPath, [path.join(copy, 'bin/riskgate.mjs'), '--version'], {
    cwd: copy,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '0.1.0');
  return r.stderr.includes(MARK);
}

describe('npm run build', () => {
  it('bundles the CLI and each worker entry into dist/, listed in dist/build.json', () => {
    const stamp = JSON.parse(readFileSync(path.join(copy, 'dist/build.json'), 'utf8')) as {
      workers: Record<string, string>;
      files: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(stamp.workers).sort(), [
      'src/adapters/eventlog/reader-worker.ts',
      'src/research/sweep-worker.ts',
      'src/server/backtest-worker.ts',
      'src/server/replay-worker.ts',
      'src/server/selection-worker.ts',
      'src/store/chain-worker.ts',
      'src/store/sqlite/journal-thread-worker.ts',
    ]);
    for (const file of Object.values(stamp.workers)) assert.ok(existsSync(path.join(copy, 'dist', file)), file);
    assert.ok('src/cli/main.ts' in stamp.files && !Object.keys(stamp.files).some((f) => f.endsWith('.test.ts')));
  });

  it('the built CLI replays with its worker threads from dist/ (their sources removed) and gives the report of the sources', async () => {
    const args = ['replay', 'examples/readme/events.ndjson', '--config', 'examples/readme/config.yaml'];
    const expected = await riskgate(args);
    assert.equal(expected.code, 0, expected.stderr);
    const removed = ['src/store/chain-worker.ts', 'src/store/sqlite/journal-thread-worker.ts'].map((f) =>
      path.join(copy, f),
    );
    const saved = removed.map((f) => [f, readFileSync(f), statSync(f)] as const);
    try {
      for (const f of removed) unlinkSync(f);
      const r = built([...args, '--journal', path.join(dir, 'journal.db')]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout), JSON.parse(expected.stdout));
    } finally {
      for (const [f, content, st] of saved) {
        writeFileSync(f, content);
        utimesSync(f, st.atime, st.mtime);
      }
    }
  });

  it('the built CLI loads a TypeScript strategy from a directory outside the repository', () => {
    const strategies = mkdtempSync(path.join(tmpdir(), 'rg-build-strategy-'));
    try {
      writeFileSync(path.join(strategies, 'size.ts'), 'export const size = (n: number): number => n + 3;\n');
      writeFileSync(
        path.join(strategies, 'mine.ts'),
        "import { size } from './size.ts';\nexport default { name: 'mine', description: 'buys once', params: {}, create() { return { onBar(_b: unknown, ctx: { index: number; buy(q: number): void }) { if (ctx.index === 0) ctx.buy(size(1)); } }; } };\n",
      );
      const r = built([
        'backtest',
        '--strategy',
        path.join(strategies, 'mine.ts'),
        '--report',
        'json',
        '--no-progress',
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { trades: { qty: number }[] }).trades[0]!.qty, 4);
    } finally {
      rmSync(strategies, { recursive: true, force: true });
    }
  });
});

describe('bin/riskgate.mjs', () => {
  it('runs dist/ while the sources are those it was built from, and the sources through tsx once one changes', () => {
    assert.equal(viaBin(), true, 'fresh build');
    const test = path.join(copy, 'src/extra.test.ts');
    writeFileSync(test, '');
    assert.equal(viaBin(), true, 'a test file is no input of the build');
    unlinkSync(test);

    const added = path.join(copy, 'src/added.ts');
    writeFileSync(added, 'export {};\n');
    assert.equal(viaBin(), false, 'a source file added');
    unlinkSync(added);
    assert.equal(viaBin(), true, 'the same sources again');

    const edited = path.join(copy, 'src/errors.ts');
    const st = statSync(edited);
    appendFileSync(edited, '// edited\n');
    assert.equal(viaBin(), false, 'a source file edited');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('// edited\n', ''));
    utimesSync(edited, st.atime, new Date(st.mtimeMs - 60_000));
    assert.equal(viaBin(), false, 'a source file restored with an older modification time');
  });
});
