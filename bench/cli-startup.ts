/**
 * Start-up time of the `riskgate` command (issue 13: `riskgate --help` < 0.3 s; every command well
 * under a second). Builds dist/ first, then runs bin/riskgate.mjs with each case RUNS times (plus one
 * warm-up) and records median and p95 of the wall clock and of the process's CPU time (user +
 * system, all threads: steadier than wall time on a shared machine); `node -e 0` is the floor, and
 * `--help` from the TypeScript sources through tsx (RISKGATE_FROM_SOURCE=1) what the build saves.
 * Writes bench/results/cli-startup.json.  Run: npm run bench:cli [-- runs]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.argv[2] ?? 15);
const bin = path.join(root, 'bin/riskgate.mjs');

/** Preloaded into each run: writes the process's CPU time (µs) to fd 3 as it exits. */
const CPU_PROBE = `data:text/javascript,import { writeSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeSync(3, String(u.user + u.system)); });`;

interface Case {
  name: string;
  args: string[];
  env?: Record<string, string>;
  runs?: number;
}

const cases: Case[] = [
  { name: 'node -e 0 (floor)', args: ['-e', '0'] },
  { name: 'riskgate --help', args: [bin, '--help'] },
  { name: 'riskgate --version', args: [bin, '--version'] },
  { name: 'riskgate backtest --help', args: [bin, 'backtest', '--help'] },
  {
    name: 'riskgate config validate riskgate.example.yaml',
    args: [bin, 'config', 'validate', 'riskgate.example.yaml'],
  },
  { name: 'riskgate journal verify (missing file)', args: [bin, 'journal', 'verify', 'no-such.db'] },
  {
    name: 'riskgate analytics maxpain',
    args: [bin, 'analytics', 'maxpain', path.join(root, '../shared/data/options/max_pain_example.json')],
  },
  {
    name: 'riskgate replay examples/readme',
    args: [bin, 'replay', 'examples/readme/events.ndjson', '--config', 'examples/readme/config.yaml'],
  },
  {
    name: 'riskgate --help from the sources (tsx)',
    args: [bin, '--help'],
    env: { RISKGATE_FROM_SOURCE: '1' },
    runs: Math.min(RUNS, 5),
  },
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

interface Timing {
  median: number;
  p95: number;
  min: number;
}

interface Result {
  wallMs: Timing;
  cpuMs: Timing;
  runs: number;
  exitCode: number | null;
}

function summary(ms: number[]): Timing {
  const sorted = [...ms].sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { median: round(quantile(sorted, 0.5)), p95: round(quantile(sorted, 0.95)), min: round(sorted[0]!) };
}

function time(c: Case): Result {
  const wall: number[] = [];
  const cpu: number[] = [];
  let exitCode: number | null = null;
  const runs = c.runs ?? RUNS;
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--import', CPU_PROBE, ...c.args], {
      cwd: root,
      env: { ...process.env, ...c.env },
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    });
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    exitCode = r.status;
    if (i === 0) continue; // the first run warms the disk cache
    wall.push(elapsed);
    cpu.push(Number(String(r.output[3])) / 1000);
  }
  return { wallMs: summary(wall), cpuMs: summary(cpu), runs, exitCode };
}

execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
const results: Record<string, Result> = {};
const loadBefore = loadavg();
console.log(`${''.padEnd(48)} wall median / p95 (ms)   CPU median / p95 (ms)`);
for (const c of cases) {
  const r = time(c);
  results[c.name] = r;
  const pair = (t: Timing) => `${String(t.median).padStart(7)} / ${String(t.p95).padEnd(7)}`;
  console.log(`${c.name.padEnd(48)} ${pair(r.wallMs)}        ${pair(r.cpuMs)}  exit ${r.exitCode}`);
}
const out = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: cpus().length,
  loadavg: { before: loadBefore, after: loadavg() },
  runs: RUNS,
  unit: 'ms per process',
  results,
};
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/cli-startup.json'), JSON.stringify(out, null, 2) + '\n');
