/**
 * Worker threads running a TypeScript module of this project (the event reader, the hash chain
 * and the SQLite journal). The module and the project files it imports are bundled by esbuild into one
 * JavaScript file under node_modules/.cache/riskgate (packages stay imports): a worker loading
 * TypeScript through tsx would first start its own loader thread and esbuild service, ~150 ms per
 * worker, while the bundle starts in ~20 ms. A bundle is made again when one of its source files
 * changed (size or modification time) or esbuild did, and kept otherwise. Where no bundle can be
 * made (esbuild missing, a read-only install), the worker loads the module through tsx. The built
 * CLI (scripts/build.mjs) brings its own bundles of the worker entries in dist/, listed in
 * dist/build.json, and starts those.
 */
import { Worker, type TransferListItem } from 'node:worker_threads';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));
const CACHE_DIR = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'riskgate');

/** `true` in the build of dist/ (an esbuild define); undeclared when running the sources. */
declare const RISKGATE_BUILT: boolean | undefined;

/** Starts `entry` (a .ts module URL) on a worker thread (`cacheDir`: where bundles are kept). */
export function startTsWorker(
  entry: URL,
  workerData: unknown,
  cacheDir = CACHE_DIR,
  transferList: TransferListItem[] = [],
): Worker {
  const bundle =
    (typeof RISKGATE_BUILT !== 'undefined' ? prebuiltWorker(entry) : undefined) ?? workerBundle(entry, cacheDir);
  if (bundle) return new Worker(bundle, { workerData, transferList });
  const loader = import.meta.resolve('tsx/esm/api');
  const source = `import(${JSON.stringify(loader)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(source, { eval: true, workerData, transferList });
}

const prebuilt = new Map<string, Record<string, string>>();

/** The bundle of `entry` that came with the build in `root`/dist, if it has one. */
export function prebuiltWorker(entry: URL, root = PROJECT_ROOT): URL | undefined {
  let workers = prebuilt.get(root);
  if (!workers) {
    try {
      workers =
        (
          JSON.parse(readFileSync(path.join(root, 'dist', 'build.json'), 'utf8')) as {
            workers?: Record<string, string>;
          }
        ).workers ?? {};
    } catch {
      workers = {};
    }
    prebuilt.set(root, workers);
  }
  const name = workers[path.relative(root, fileURLToPath(entry)).split(path.sep).join('/')];
  return name ? pathToFileURL(path.join(root, 'dist', name)) : undefined;
}

/** What a bundle was made from: esbuild's version and each source file's size and mtime. */
interface Manifest {
  esbuild: string;
  inputs: Record<string, [size: number, mtimeMs: number]>;
}

const made = new Map<string, URL | undefined>();

/** The bundle of `entry` (made or checked once per process), or undefined when none can be made. */
export function workerBundle(entry: URL, cacheDir = CACHE_DIR): URL | undefined {
  const key = `${cacheDir}|${entry.href}`;
  if (!made.has(key)) made.set(key, buildWorkerBundle(fileURLToPath(entry), cacheDir));
  return made.get(key);
}

/** Makes (or finds up to date) the bundle of `entryFile` in `cacheDir`; undefined when it cannot. */
export function buildWorkerBundle(entryFile: string, cacheDir: string, root = PROJECT_ROOT): URL | undefined {
  // The entry's own path in the name too: clones sharing node_modules (a symlink) share the cache.
  const tag = createHash('sha256').update(path.resolve(entryFile)).digest('hex').slice(0, 8);
  const name = `${path.relative(root, entryFile).replace(/[\\/]/g, '-').replace(/\.ts$/, '')}-${tag}`;
  const out = path.join(cacheDir, `${name}.mjs`);
  const manifestFile = `${out}.json`;
  try {
    const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    if (upToDate(manifestFile, esbuild.version)) return pathToFileURL(out);
    const result = esbuild.buildSync({
      entryPoints: [entryFile],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      target: 'node20',
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    const inputs: Manifest['inputs'] = {};
    for (const input of Object.keys(result.metafile.inputs)) {
      const file = path.resolve(input);
      const st = statSync(file);
      inputs[file] = [st.size, st.mtimeMs];
    }
    mkdirSync(cacheDir, { recursive: true });
    // Written aside and renamed: another process starting the same worker never reads half a file.
    const tmp = `${out}.${process.pid}.tmp`;
    writeFileSync(tmp, result.outputFiles[0]!.contents);
    renameSync(tmp, out);
    writeFileSync(
      `${manifestFile}.${process.pid}.tmp`,
      JSON.stringify({ esbuild: esbuild.version, inputs } satisfies Manifest),
    );
    renameSync(`${manifestFile}.${process.pid}.tmp`, manifestFile);
    return pathToFileURL(out);
  } catch {
    return undefined;
  }
}

function upToDate(manifestFile: string, esbuildVersion: string): boolean {
  try {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as Manifest;
    if (m.esbuild !== esbuildVersion) return false;
    for (const [file, [size, mtimeMs]] of Object.entries(m.inputs)) {
      const st = statSync(file);
      if (st.size !== size || st.mtimeMs !== mtimeMs) return false;
    }
    return true;
  } catch {
    return false;
  }
}
