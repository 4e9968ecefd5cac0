/**
 * A 1-minute-bar backtest of 1,000,000 bars with the risk rules on (the 3-rule config of
 * bench/backtest.ts): bars per second of riskgate's loop (`BacktestSession.simulateBars`, the
 * same as `riskgate backtest` runs). The bars are a seeded random walk (mulberry32, seed 1) of
 * 1-minute bars, 24/7 from 2020-01-01, prices in cents around 4,000 (an index future's scale),
 * made before the timer starts; strategy sma-cross(30), 1 unit. Reported: wall and CPU time of
 * each of `--runs` runs (default 3), bars/s from the best and the median CPU time, the trades and
 * the engine's event count. Writes bench/results/backtest-1m.json.
 *   node bench/bundled.mjs bench/backtest-1m.ts [--runs 3] [--bars 1000000]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { BacktestSession } from '../src/backtest/engine.ts';
import { smaCross } from '../src/backtest/strategies/sma-cross.ts';
import { makeBar, type Bar } from '../src/backtest/types.ts';
import { validateConfigText } from '../src/config/load.ts';
import type { RawConfig } from '../src/config/schema.ts';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? (process.argv[i + 1] as string) : dflt;
};
const RUNS = Number(arg('--runs', '3'));
const N = Number(arg('--bars', '1000000'));
const RULES_YAML =
  'risk:\n  rules:\n    RULE-001: { limit: 5 }\n    RULE-003: { limit: "500" }\n    RULE-004: { limit: "300" }\n';
const config = validateConfigText(RULES_YAML).config as RawConfig;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CENT = 10n ** 16n; // Fixed has 18 decimals
const rand = mulberry32(1);
const start = Date.UTC(2020, 0, 1);
const bars: Bar[] = new Array(N);
let close = 400_000; // cents
for (let i = 0; i < N; i++) {
  const open = close;
  close = Math.max(100, open + Math.round((rand() - 0.5) * 100));
  const high = Math.max(open, close) + Math.round(rand() * 30);
  const low = Math.min(open, close) - Math.round(rand() * 30);
  bars[i] = makeBar(
    start + i * 60_000,
    BigInt(open) * CENT,
    BigInt(high) * CENT,
    BigInt(low) * CENT,
    BigInt(close) * CENT,
  );
}

const runs: { wallMs: number; cpuMs: number; trades: number; events: number }[] = [];
for (let r = 0; r < RUNS; r++) {
  const session = new BacktestSession({ symbol: 'MIN1', config });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  session.simulateBars(bars, smaCross.create({ period: '30', qty: '1', decideOnFillBar: 'false', stop: '0' }));
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const engine = (session as unknown as { riskEngine?: { eventsProcessed: number } }).riskEngine;
  runs.push({
    wallMs,
    cpuMs: (c.user + c.system) / 1000,
    trades: session.roundTrips().length,
    events: engine?.eventsProcessed ?? 0,
  });
}
const cpu = runs.map((r) => r.cpuMs).sort((a, b) => a - b);
const result = {
  benchmark: `1-minute bars (seeded random walk), ${N} bars, sma-cross(30), rules on`,
  config: RULES_YAML,
  bars: N,
  runs,
  barsPerSecBestCpu: Math.round(N / ((cpu[0] as number) / 1000)),
  barsPerSecMedianCpu: Math.round(N / ((cpu[Math.floor(cpu.length / 2)] as number) / 1000)),
  target: 1_000_000,
  load1: loadavg()[0],
  node: process.version,
};
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(
  fileURLToPath(new URL('./results/backtest-1m.json', import.meta.url)),
  `${JSON.stringify(result, null, 2)}\n`,
);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
