import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { buildWorkerBundle, prebuiltWorker, startTsWorker } from './ts-worker.ts';
import { pathToFileURL } from 'node:url';

async function answer(bundle: URL): Promise<unknown> {
  const w = new Worker(bundle, { workerData: 'ping' });
  try {
    return await new Promise((resolve, reject) => {
      w.once('message', resolve);
      w.once('error', reject);
    });
  } finally {
    await w.terminate();
  }
}

test('worker bundles: two clones sharing one cache (node_modules linked) each get their own', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-bundle-'));
  try {
    const cache = path.join(dir, 'cache');
    const entries = ['a', 'b'].map((clone, i) => {
      mkdirSync(path.join(dir, clone, 'src'), { recursive: true });
      const entry = path.join(dir, clone, 'src', 'entry.ts');
      writeFileSync(
        entry,
        `import { parentPort, workerData } from 'node:worker_threads';\nparentPort!.postMessage(\`\${workerData as string}: ${i}\`);\n`,
      );
      return { entry, root: path.join(dir, clone) }; // the same path inside each clone
    });
    const bundles = entries.map((e) => buildWorkerBundle(e.entry, cache, e.root)!);
    assert.notEqual(bundles[0]!.href, bundles[1]!.href);
    assert.deepEqual([await answer(bundles[0]!), await answer(bundles[1]!)], ['ping: 0', 'ping: 1']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('worker bundles: made from TypeScript, reused while the sources stand, made again when one changes', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-bundle-'));
  try {
    const cache = path.join(dir, 'cache');
    writeFileSync(path.join(dir, 'answer.ts'), 'export const answer: number = 41;\n');
    writeFileSync(
      path.join(dir, 'entry.ts'),
      "import { parentPort, workerData } from 'node:worker_threads';\nimport { answer } from './answer.ts';\nparentPort!.postMessage(`${workerData as string}: ${answer + 1}`);\n",
    );
    const entry = path.join(dir, 'entry.ts');
    const first = buildWorkerBundle(entry, cache)!;
    assert.ok(first, 'a bundle is made');
    assert.equal(await answer(first), 'ping: 42');
    const madeAt = statSync(first).mtimeMs;

    // Same sources (as the next process finds them): the bundle is kept.
    const again = buildWorkerBundle(entry, cache)!;
    assert.equal(statSync(again).mtimeMs, madeAt, 'not made again');

    // An imported file changes: the bundle is made again with it.
    writeFileSync(path.join(dir, 'answer.ts'), 'export const answer: number = 99;\n');
    utimesSync(path.join(dir, 'answer.ts'), new Date(), new Date(Date.now() + 5000));
    const changed = buildWorkerBundle(entry, cache)!;
    assert.equal(await answer(changed), 'ping: 100');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('worker bundles: none for a module that does not build (the caller falls back to tsx)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-bundle-'));
  try {
    writeFileSync(path.join(dir, 'broken.ts'), "import { nothing } from './missing.ts';\nconsole.log(nothing);\n");
    assert.equal(buildWorkerBundle(path.join(dir, 'broken.ts'), path.join(dir, 'cache')), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker whose bundle cannot be written starts through tsx instead', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-bundle-'));
  try {
    writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n'); // as this project's modules are
    writeFileSync(
      path.join(dir, 'entry.ts'),
      "import { parentPort, workerData } from 'node:worker_threads';\nconst n: number = workerData as number;\nparentPort!.postMessage(n * 2);\n",
    );
    // A file where the cache directory should be: no bundle can be kept there.
    const blocked = path.join(dir, 'not-a-dir');
    writeFileSync(blocked, '');
    assert.equal(buildWorkerBundle(path.join(dir, 'entry.ts'), path.join(blocked, 'cache')), undefined);
    const w = startTsWorker(pathToFileURL(path.join(dir, 'entry.ts')), 21, path.join(blocked, 'cache'));
    try {
      assert.equal(await new Promise((resolve, reject) => (w.once('message', resolve), w.once('error', reject))), 42);
    } finally {
      await w.terminate();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('prebuilt workers: the bundle dist/build.json lists for an entry, none for others or without a build', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-prebuilt-'));
  try {
    const built = path.join(dir, 'built');
    mkdirSync(path.join(built, 'dist'), { recursive: true });
    writeFileSync(
      path.join(built, 'dist', 'build.json'),
      JSON.stringify({ workers: { 'src/store/chain-worker.ts': 'worker-store-chain-worker.mjs' } }),
    );
    const entry = (root: string, rel: string) => pathToFileURL(path.join(root, rel));
    assert.equal(
      prebuiltWorker(entry(built, 'src/store/chain-worker.ts'), built)?.href,
      pathToFileURL(path.join(built, 'dist', 'worker-store-chain-worker.mjs')).href,
    );
    assert.equal(prebuiltWorker(entry(built, 'src/other-worker.ts'), built), undefined);
    assert.equal(prebuiltWorker(entry(dir, 'src/store/chain-worker.ts'), dir), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
