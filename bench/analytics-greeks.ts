/**
 * Benchmark: option valuations and implied-vol solves per second on the reference rows.
 * Run: node --import tsx bench/analytics-greeks.ts  → bench/results/analytics-greeks.json
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { parseGreeksCsv } from '../src/analytics/greeks-csv.ts';
import { valueOption } from '../src/analytics/option-pricing.ts';
import { impliedVolatility } from '../src/analytics/implied-vol.ts';

const rows = parseGreeksCsv(
  readFileSync(new URL('../../shared/data/options/greeks_reference.csv', import.meta.url), 'utf8'),
);
const ivRows = rows.filter((r) => r.ivCheckPrice !== undefined);

function measure(
  label: string,
  iterations: number,
  fn: () => void,
): { label: string; opsPerSec: number; iterations: number } {
  fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const ms = performance.now() - t0;
  return { label, iterations, opsPerSec: Math.round((iterations * 1000) / ms) };
}

let sink = 0;
const valuation = measure('valueOption (60 rows per op)', 20000, () => {
  for (const r of rows) sink += valueOption(r.spec).price;
});
const iv = measure(`impliedVolatility (${ivRows.length} rows per op)`, 2000, () => {
  for (const r of ivRows) sink += impliedVolatility(r.spec, r.ivCheckPrice!);
});
const result = {
  node: process.version,
  valuationsPerSec: valuation.opsPerSec * rows.length,
  ivSolvesPerSec: iv.opsPerSec * ivRows.length,
  runs: [valuation, iv],
  checksum: sink,
};
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
writeFileSync(new URL('./results/analytics-greeks.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
process.stdout.write(`${JSON.stringify(result)}\n`);
