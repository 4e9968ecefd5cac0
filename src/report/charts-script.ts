/**
 * The chart script inlined into HTML reports: web/charts/report-entry.ts and lightweight-charts
 * bundled by esbuild into one IIFE, on first use in a process and kept in memory (~0.3 s once).
 * Bundled here rather than at build time so the sources and a build in dist/ give the same page
 * and a report never inlines a stale bundle.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { AppError } from '../errors.ts';

const ENTRY = 'web/charts/report-entry.ts';

/**
 * The entry's file: beside this module's source (the sources, and dist/ whose build keeps source
 * URLs), else in the project of the running program: a worker bundle (src/ts-worker.ts) sits in
 * node_modules/.cache, where `import.meta.url` says nothing about the project.
 */
export function chartsEntry(): string {
  const beside = fileURLToPath(new URL(`../../${ENTRY}`, import.meta.url));
  if (existsSync(beside)) return beside;
  for (const start of [process.argv[1], fileURLToPath(import.meta.url)]) {
    for (let dir = path.dirname(path.resolve(start ?? '.')); ; dir = path.dirname(dir)) {
      if (existsSync(path.join(dir, ENTRY))) return path.join(dir, ENTRY);
      if (path.dirname(dir) === dir) break;
    }
  }
  throw new AppError('ERR_REPORT_CHARTS', `the report charts (${ENTRY}) are not in this installation`);
}

let cached: string | undefined;

export function reportChartsScript(): string {
  if (cached !== undefined) return cached;
  const entry = chartsEntry();
  let text: string;
  try {
    const out = buildSync({
      entryPoints: [entry],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      legalComments: 'eof',
      write: false,
      logLevel: 'silent',
    });
    text = out.outputFiles[0]?.text ?? '';
  } catch (e) {
    throw new AppError('ERR_REPORT_CHARTS', `cannot bundle the report charts (${entry}): ${(e as Error).message}`);
  }
  // Inline in a <script> element: the text must not close it early.
  cached = text.replace(/<\/(script)/gi, '<\\/$1');
  return cached;
}
