/**
 * Start-up time of the `riskgate` command (issue 13: `riskgate --help` < 0.3 s; every command well
 * under a second). Builds dist/ first, then runs bin/riskgate.mjs with each case RUNS times (plus one
 * warm-up) and records wall-clock median and p95; `node -e 0` is the floor, and `--help` from the
 * TypeScript sources through tsx (RISKGATE_FROM_SOURCE=1) what the build saves.
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
  { name: 'riskgate config validate riskgate.example.yaml', args: [bin, 'config', 'validate', 'riskgate.example.yaml'] },
  { name: 'riskgate journal verify (missing file)', args: [bin, 'journal', 'verify', 'no-such.db'] },
  { name: 'riskgate analytics maxpain', args: [bin, 'analytics', 'maxpain', path.join(root, '../shared/data/options/max_pain_example.json')] },
  { name: 'riskgate replay examples/readme', args: [bin, 'replay', 'examples/readme/events.ndjson', '--config', 'examples/readme/config.yaml'] },
  { name: 'riskgate --help from the sources (tsx)', args: [bin, '--help'], env: { RISKGATE_FROM_SOURCE: '1' }, runs: Math.min(RUNS, 5) },
];

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function time(c: Case): { median: number; p95: number; min: number; runs: number; exitCode: number | null } {
  const ms: number[] = [];
  let exitCode: number | null = null;
  const runs = c.runs ?? RUNS;
  for (let i = 0; i <= runs; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, c.args, { cwd: root, env: { ...process.env, ...c.env }, stdio: 'ignore' });
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    exitCode = r.status;
    if (i > 0) ms.push(elapsed); // the first run warms the disk cache
  }
  ms.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 10) / 10;
  return { median: round(quantile(ms, 0.5)), p95: round(quantile(ms, 0.95)), min: round(ms[0]!), runs, exitCode };
}

execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
const results: Record<string, ReturnType<typeof time>> = {};
for (const c of cases) {
  results[c.name] = time(c);
  const r = results[c.name]!;
  console.log(`${c.name.padEnd(52)} median ${String(r.median).padStart(7)} ms  p95 ${String(r.p95).padStart(7)} ms  (exit ${r.exitCode})`);
}
const out = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadavg: loadavg(), runs: RUNS, unit: 'ms wall clock per process', results };
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/cli-startup.json'), JSON.stringify(out, null, 2) + '\n');
