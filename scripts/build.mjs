/**
 * `npm run build` (run by `npm ci` as `prepare`, and before `npm test`): bundles the CLI
 * (src/cli/main.ts) and the worker-thread entries (src/**\/*-worker.ts) into dist/ with esbuild.
 * Packages stay imports of node_modules (better-sqlite3 is native); modules the CLI loads with
 * `await import()` go into their own chunks, so a command loads only what it runs. Every output
 * file sits directly in dist/, and `import.meta.url` of each module is rewritten to the URL of its
 * source file (relative to dist/), so paths to data and worker entries resolve as in src/.
 * dist/build.json records the sources the build was made from (scripts/build-stamp.mjs).
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { STAMP, sourceFiles } from './build-stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const startedMs = Date.now();
const files = sourceFiles(root);

const workers = Object.keys(files).filter((f) => /^src\/.+-worker\.ts$/.test(f) && f !== 'src/ts-worker.ts');
const workerOut = (f) => `worker-${f.slice('src/'.length, -'.ts'.length).replaceAll('/', '-')}`;

/** `import.meta.url` → the URL of the module's source file, computed from the output file in dist/. */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromDist = path.relative(dist, args.path).split(path.sep).join('/');
      return {
        contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromDist)}, import.meta.url).href`),
        loader: 'ts',
      };
    });
  },
};

// Built aside and moved in file by file: a riskgate started meanwhile finds no stamp and runs the
// sources, and one already running from dist/ still finds its chunks (named by content) unless the
// build changed them.
const stampFile = path.join(root, STAMP);
rmSync(stampFile, { force: true });
const tmp = path.join(root, '.tmp', `dist-${process.pid}`);
rmSync(tmp, { recursive: true, force: true });
mkdirSync(path.dirname(tmp), { recursive: true });
await esbuild.build({
  absWorkingDir: root,
  entryPoints: [{ in: 'src/cli/main.ts', out: 'riskgate' }, ...workers.map((f) => ({ in: f, out: workerOut(f) }))],
  outdir: tmp,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  define: { RISKGATE_BUILT: 'true' },
  plugins: [sourceUrls],
  logLevel: 'warning',
});
mkdirSync(dist, { recursive: true });
const outputs = new Set(readdirSync(tmp));
for (const name of outputs) renameSync(path.join(tmp, name), path.join(dist, name));
for (const name of readdirSync(dist))
  if (!outputs.has(name)) rmSync(path.join(dist, name), { recursive: true, force: true });
rmSync(tmp, { recursive: true, force: true });
const stamp = {
  startedMs,
  esbuild: esbuild.version,
  workers: Object.fromEntries(workers.map((f) => [f, `${workerOut(f)}.mjs`])),
  files,
};
writeFileSync(`${stampFile}.tmp`, JSON.stringify(stamp, null, 1) + '\n');
renameSync(`${stampFile}.tmp`, stampFile);

// The dashboard (web/ → web/dist/), served by `riskgate start` at /.
const { buildWeb } = await import('./build-web.mjs');
await buildWeb(root);
