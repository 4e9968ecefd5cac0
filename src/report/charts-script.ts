/**
 * The chart script inlined into HTML reports: web/charts/report-entry.ts and lightweight-charts
 * bundled by esbuild into one IIFE, on first use in a process and kept in memory (~0.3 s once).
 * Bundled here rather than at build time so the sources and a build in dist/ give the same page
 * and a report never inlines a stale bundle.
 */
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { AppError } from '../errors.ts';

const ENTRY = fileURLToPath(new URL('../../web/charts/report-entry.ts', import.meta.url));

let cached: string | undefined;

export function reportChartsScript(): string {
  if (cached !== undefined) return cached;
  let text: string;
  try {
    const out = buildSync({
      entryPoints: [ENTRY],
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
    throw new AppError('ERR_REPORT_CHARTS', `cannot bundle the report charts (${ENTRY}): ${(e as Error).message}`);
  }
  // Inline in a <script> element: the text must not close it early.
  cached = text.replace(/<\/(script)/gi, '<\\/$1');
  return cached;
}
