/**
 * Sweep scaling: `riskgate research sweep` of 1,000 parameter sets (sma-cross period 2..1001) over
 * the bundled S&P 500 daily bars, run with --workers 1 and --workers 2, alternately, `--reps`
 * times each. Per run: wall time, the CLI process's CPU time (its workers included: user + system
 * of the child) and the load average around it, since the machine is shared. Checks the reports
 * are byte-identical, and times a one-set sweep (the fixed costs: CLI start, loading the data,
 * starting the workers). Writes bench/results/sweep.json.
 *   node --import tsx bench/sweep-workers.ts [--reps 3] [--config riskgate.yaml]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { loadavg, availableParallelism } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const arg = (name: string, dflt?: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const REPS = Number(arg('--reps', '3'));
const config = arg('--config');
const bin = fileURLToPath(new URL('../bin/riskgate.mjs', import.meta.url));

interface Run {
  readonly workers: number;
  readonly sets: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly load1Before: number;
  readonly load1After: number;
  readonly output: string;
}

function sweep(workers: number, range: string): Run {
  const args = [
    bin,
    'research',
    'sweep',
    '--strategy',
    'sma-cross',
    '--param',
    `period=${range}`,
    '--workers',
    String(workers),
    '--report',
    'json',
    '--no-progress',
  ];
  if (config) args.push('--config', config);
  const load1Before = loadavg()[0] as number;
  const t0 = performance.now();
  // The CLI runs under bash, whose `times` prints its children's user and system CPU time.
  const r = spawnSync(
    'bash',
    [
      '-c',
      `"$@" > /tmp/rg-sweep-$$.json; times; cat /tmp/rg-sweep-$$.json >&2; rm -f /tmp/rg-sweep-$$.json`,
      'sweep',
      process.execPath,
      ...args,
    ],
    { maxBuffer: 1 << 28, encoding: 'utf8' },
  );
  const wallMs = performance.now() - t0;
  if (r.status !== 0) throw new Error(r.stderr);
  // `times` prints two lines: the shell's, then its children's "XmY.YYYs XmZ.ZZZs".
  const child = (r.stdout.trim().split('\n')[1] ?? '').trim().split(/\s+/);
  const secs = (t: string) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : Number.NaN;
  };
  const cpuMs = (secs(child[0] ?? '') + secs(child[1] ?? '')) * 1000;
  const sets = range.includes('..') ? Number(range.split('..')[1]) - Number(range.split('..')[0]) + 1 : 1;
  return { workers, sets, wallMs, cpuMs, load1Before, load1After: loadavg()[0] as number, output: r.stderr };
}

const runs: Run[] = [];
for (let i = 0; i < REPS; i++) for (const w of i % 2 === 0 ? [1, 2] : [2, 1]) runs.push(sweep(w, '2..1001'));
const startup = [1, 2].map((w) => sweep(w, '30'));
const outputs = new Set(runs.map((r) => r.output));
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const by = (w: number) => runs.filter((r) => r.workers === w);
const summary = (w: number) => ({
  wallMedianMs: med(by(w).map((r) => r.wallMs)),
  wallBestMs: Math.min(...by(w).map((r) => r.wallMs)),
  cpuMedianMs: med(by(w).map((r) => r.cpuMs)),
});
const one = summary(1);
const two = summary(2);
const result = {
  benchmark: 'research sweep sma-cross period=2..1001 (1,000 sets), S&P 500 daily 2000-2020',
  config: config ?? null,
  cores: availableParallelism(),
  node: process.version,
  identicalReports: outputs.size === 1,
  workers1: one,
  workers2: two,
  speedupWall: one.wallMedianMs / two.wallMedianMs,
  speedupBestWall: one.wallBestMs / two.wallBestMs,
  /** A one-set sweep: process start, worker start-up (code + data) and one backtest. */
  oneSetWallMs: { workers1: startup[0]?.wallMs, workers2: startup[1]?.wallMs },
  target: 1.8,
  runs: runs.map(({ output: _o, ...r }) => r),
  uname: execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim(),
};
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(fileURLToPath(new URL('./results/sweep.json', import.meta.url)), `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
