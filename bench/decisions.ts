/**
 * Replay cost of a decision-heavy stream (issue 13 point 7): a shadow replay where accounts keep
 * trading after their lock, so about a quarter of the events produce a decision. Measured three
 * ways on the same file, interleaved run by run (other processes share the cores):
 * - in process (engine thread and whole-process CPU, as bench/replay.ts measures);
 * - `riskgate replay <file> --config <cfg>` as a whole process (wall time and CPU, start-up
 *   included), against
 * - the JSON.parse floor: a plain node process that reads the same file with `readline` and
 *   `JSON.parse`s every line (json-parse-floor.mjs).
 * The ratio of the two whole processes is the figure issue 13 targets (≤ 1.5× wall).
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEvents } from '../test/fixtures/generate-events.ts';
import { replayThroughput, type ReplayRun } from './replay.ts';

const root = path.resolve(fileURLToPath(import.meta.url), '../..');
const N = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const tmp = path.join(root, '.tmp');

/**
 * Small loss and profit limits and a contract cap: most accounts lock within the day (RULE-003 or
 * RULE-013, until the reset) and, as the recorded fills are facts in shadow mode, every later fill
 * of the day breaches again; RULE-001 trims the larger positions. About 0.25 decisions per event.
 */
export const DECISION_HEAVY_CONFIG = `
timezone: America/Chicago
risk:
  rules:
    RULE-001: { limit: 10 }
    RULE-003: { limit: "2000" }
    RULE-013: { target: "2000" }
`;

const SYMBOLS = [
  { symbol: 'MNQ', price: 18000, tick: 0.25 },
  { symbol: 'ES', price: 5200, tick: 0.25 },
  { symbol: 'CL', price: 70, tick: 0.01 },
];

/** 5 accounts, 70 % quotes, 30 % fills without orders (a shadow feed of executions only). */
export function* decisionHeavyEvents(): Generator<Record<string, unknown>> {
  yield* generateEvents({
    seed: 7,
    start: '2026-01-05T00:00:00.000Z',
    end: '2030-01-01T00:00:00.000Z',
    accounts: ['A1', 'A2', 'A3', 'A4', 'A5'],
    symbols: SYMBOLS,
    stepMs: 2000,
    fillShare: 0.3,
    maxPosition: 4,
  });
}

/** Writes the first `events` events of the mix to `file` (kept when it exists). */
export async function writeDecisionHeavyFile(file: string, events = N): Promise<string> {
  if (existsSync(file)) return file;
  mkdirSync(path.dirname(file), { recursive: true });
  const out = createWriteStream(file);
  let n = 0;
  for (const e of decisionHeavyEvents()) {
    if (!out.write(JSON.stringify(e) + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
    if (++n >= events) break;
  }
  await new Promise<void>((r) => out.end(r));
  return file;
}

/** CPU seconds (user + system) of this process's reaped children, from /proc (Linux only). */
function childrenCpuSeconds(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) / 100; // cutime, cstime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

export interface ProcessRun {
  seconds: number;
  /** User + system CPU of the whole child process (every thread), when /proc has it. */
  cpuSeconds?: number;
}

/** Runs a child process to its end; its wall time and CPU. Output is kept out of the way. */
async function timeProcess(args: readonly string[]): Promise<ProcessRun> {
  const cpu0 = childrenCpuSeconds();
  const t0 = process.hrtime.bigint();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', resolve);
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`);
  const cpu1 = childrenCpuSeconds();
  return cpu0 === undefined || cpu1 === undefined
    ? { seconds }
    : { seconds, cpuSeconds: Math.round((cpu1 - cpu0) * 100) / 100 };
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function summariseProcesses(runs: readonly ProcessRun[]): Record<string, unknown> {
  const cpus = runs.map((r) => r.cpuSeconds).filter((x): x is number => x !== undefined);
  return {
    medianSeconds: median(runs.map((r) => r.seconds)),
    bestSeconds: Math.min(...runs.map((r) => r.seconds)),
    ...(cpus.length ? { medianCpuSeconds: median(cpus) } : {}),
    detail: runs,
  };
}

export async function main(): Promise<Record<string, unknown>> {
  const file = await writeDecisionHeavyFile(path.join(tmp, `bench-decisions-${N}.ndjson`));
  const configFile = path.join(tmp, 'bench-decisions.yaml');
  writeFileSync(configFile, DECISION_HEAVY_CONFIG);
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const inProcess: ReplayRun[] = [];
  const replay: ProcessRun[] = [];
  const floor: ProcessRun[] = [];
  const replayArgs = ['--max-semi-space-size=64', 'bin/riskgate.mjs', 'replay', file, '--config', configFile];
  const floorArgs = ['bench/json-parse-floor.mjs', file];
  let decisions = 0;
  for (let i = 0; i < runs; i++) {
    floor.push(await timeProcess(floorArgs));
    replay.push(await timeProcess(replayArgs));
    let n = 0;
    inProcess.push(await replayThroughput(undefined, DECISION_HEAVY_CONFIG, file, () => n++));
    decisions = n;
  }
  const heads = new Set(inProcess.map((r) => r.head));
  if (heads.size !== 1) throw new Error(`decision-heavy runs disagree on the head hash: ${[...heads].join(', ')}`);
  const events = inProcess[0]!.events;
  const wallRatio = median(replay.map((r) => r.seconds)) / median(floor.map((r) => r.seconds));
  const cpuOf = (rs: readonly ProcessRun[]): number[] =>
    rs.map((r) => r.cpuSeconds).filter((x): x is number => x !== undefined);
  const cpuRatio =
    cpuOf(replay).length && cpuOf(floor).length ? median(cpuOf(replay)) / median(cpuOf(floor)) : undefined;
  const os = await import('node:os');
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      node: process.version,
      loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    },
    events,
    decisions,
    decisionsPerEvent: Math.round((decisions / events) * 1000) / 1000,
    inProcess: {
      medianEventsPerSecond: median(inProcess.map((r) => r.eventsPerSecond)),
      ...(inProcess.every((r) => r.eventsPerMainThreadCpuSecond !== undefined)
        ? { medianEventsPerMainThreadCpuSecond: median(inProcess.map((r) => r.eventsPerMainThreadCpuSecond!)) }
        : {}),
      medianProcessCpuMicrosPerEvent: median(inProcess.map((r) => r.processCpuMicrosPerEvent)),
      head: inProcess[0]!.head,
      detail: inProcess.map(({ head: _head, ...r }) => r),
    },
    wholeProcess: {
      replay: {
        eventsPerSecond: Math.round(events / median(replay.map((r) => r.seconds))),
        ...summariseProcesses(replay),
      },
      jsonParseFloor: summariseProcesses(floor),
      wallRatio: Math.round(wallRatio * 100) / 100,
      ...(cpuRatio !== undefined ? { cpuRatio: Math.round(cpuRatio * 100) / 100 } : {}),
    },
    targets: { wallRatio: 1.5 },
  };
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results/decisions.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await main(), null, 2));
