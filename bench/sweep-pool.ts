/**
 * Sweep scaling without the fixed costs: the pool's workers are started first (each loads the
 * code and the data: timed apart), then 1,000 backtests (sma-cross period 2..1001 over the S&P
 * 500 daily bars) are timed on 1 and on 2 workers, alternately, `--reps` times each, with the load
 * average around each run (the machine is shared). `--config` runs the risk rules in every
 * backtest (more work per task). Writes bench/results/sweep-pool[-rules].json.
 *   node --import tsx bench/sweep-pool.ts [--reps 3] [--config bench/rules.yaml]
 */
import { loadavg, availableParallelism } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SweepPool } from '../src/research/pool.ts';
import type { RunSpec } from '../src/research/run-spec.ts';

const arg = (name: string, dflt?: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const REPS = Number(arg('--reps', '3'));
const config = arg('--config');
const spec: RunSpec = {
  data: fileURLToPath(new URL('../data-bundled/sp500-2000.csv', import.meta.url)),
  strategy: 'sma-cross',
  config: config === undefined ? undefined : resolve(config),
  account: 'BACKTEST',
  capital: '10000',
  slippageTicks: 0,
  fee: '0',
};
const tasks = Array.from({ length: 1000 }, (_, i) => ({
  params: { period: String(i + 2) },
  from: 0,
  to: 5105,
  detail: false,
}));

const pools = new Map<number, { pool: SweepPool; startMs: number }>();
for (const w of [1, 2]) {
  const t0 = performance.now();
  const pool = await SweepPool.start(spec, w);
  pools.set(w, { pool, startMs: performance.now() - t0 });
}
const runs: { workers: number; wallMs: number; cpuMs: number; load1Before: number; load1After: number }[] = [];
let reference: string | undefined;
let identical = true;
for (let i = 0; i < REPS; i++)
  for (const w of i % 2 === 0 ? [1, 2] : [2, 1]) {
    const { pool } = pools.get(w) as { pool: SweepPool };
    const load1Before = loadavg()[0] as number;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const answers = await pool.run(tasks);
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    const text = JSON.stringify(answers.map((a) => a.stats));
    reference ??= text;
    if (text !== reference) identical = false;
    runs.push({
      workers: w,
      wallMs,
      cpuMs: (c.user + c.system) / 1000,
      load1Before,
      load1After: loadavg()[0] as number,
    });
  }
for (const { pool } of pools.values()) await pool.close();
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const of = (w: number) => runs.filter((r) => r.workers === w);
const summary = (w: number) => ({
  startMs: pools.get(w)?.startMs,
  wallMedianMs: med(of(w).map((r) => r.wallMs)),
  wallBestMs: Math.min(...of(w).map((r) => r.wallMs)),
  cpuMedianMs: med(of(w).map((r) => r.cpuMs)),
});
const one = summary(1);
const two = summary(2);
const result = {
  benchmark: '1,000 backtests (sma-cross period 2..1001, S&P 500 daily) on a started SweepPool',
  config: config ?? null,
  cores: availableParallelism(),
  node: process.version,
  identicalResults: identical,
  workers1: one,
  workers2: two,
  speedupWallMedian: one.wallMedianMs / two.wallMedianMs,
  speedupWallBest: one.wallBestMs / two.wallBestMs,
  target: 1.8,
  runs,
};
const name = config === undefined ? 'sweep-pool' : 'sweep-pool-rules';
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(
  fileURLToPath(new URL(`./results/${name}.json`, import.meta.url)),
  `${JSON.stringify(result, null, 2)}\n`,
);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
