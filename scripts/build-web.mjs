/**
 * The dashboard build (web/ → web/dist/) with Vite's JS API: Preact through the built-in JSX
 * transform, hashed asset names (served immutable), index.html last. Skipped when no input changed
 * since the last build (web/dist/.inputs.json records size and mtime of every input).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const INPUT_DIRS = ['web/src', 'web/charts'];
const INPUT_FILES = ['web/index.html', 'scripts/build-web.mjs'];

function inputs(root) {
  const out = {};
  const walk = (rel) => {
    if (!existsSync(path.join(root, rel))) return;
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(child);
      else if (!e.name.endsWith('.test.ts')) out[child] = stat(root, child);
    }
  };
  INPUT_DIRS.forEach(walk);
  for (const f of INPUT_FILES) out[f] = stat(root, f);
  return out;
}

function stat(root, rel) {
  const st = statSync(path.join(root, rel));
  return [st.size, st.mtimeMs];
}

/** Builds the dashboard into web/dist unless it is up to date; returns whether it built. */
export async function buildWeb(root, { force = false } = {}) {
  // A copy without the dashboard's sources (a CLI-only checkout) builds the CLI alone.
  if (!existsSync(path.join(root, 'web/index.html'))) return false;
  const outDir = path.join(root, 'web/dist');
  const stampFile = path.join(outDir, '.inputs.json');
  const now = JSON.stringify(inputs(root));
  if (!force && existsSync(path.join(outDir, 'index.html')) && existsSync(stampFile)) {
    if (readFileSync(stampFile, 'utf8') === now) return false;
  }
  const { build } = await import('vite');
  await build({
    configFile: false,
    root: path.join(root, 'web'),
    base: '/',
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
    build: { outDir, emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 800 },
  });
  writeFileSync(stampFile, now);
  return true;
}
