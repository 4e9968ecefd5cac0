/**
 * Backtest throughput: riskgate vs grademark 0.3.0, same data (S&P 500 daily 2000-2020), same
 * sma-cross(30), same run. Timed: only the backtest loop on each side — riskgate's
 * `simulateBars` (paper matching engine with exact bigint money, the strategy computing its own
 * SMA, equity marked every bar, final close-out) and grademark's `backtest()` with the SMA
 * precomputed as a column. Excluded on both sides: data loading, grademark's SMA precomputation,
 * report formatting (riskgate's trade records / stats; grademark's analyze()).
 * Measured twice: without risk rules, and with the rules on (a config with RULE-001, RULE-003 and
 * RULE-004 that do not fire on this data, so both sides still make the same 207 trades: the cost
 * measured is the risk engine seeing every order, fill, bar close and daily reset).
 * Writes bench/results/backtest.json.
 *   node --import tsx bench/backtest.ts [--runs 15]
 *   node bench/bundled.mjs bench/backtest.ts        (as built JavaScript, as the CLI runs)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { loadBars } from '../src/backtest/bars-file.ts';
import { BacktestSession } from '../src/backtest/engine.ts';
import { smaCross } from '../src/backtest/strategies/sma-cross.ts';
import { validateConfigText } from '../src/config/load.ts';
import type { RawConfig } from '../src/config/schema.ts';
import { grademark, loadGrademarkBars, smaCrossStrategy, withSma } from '../test/integration/grademark-harness.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 100;
const data = fileURLToPath(new URL('../data-bundled/sp500-2000.csv', import.meta.url));

const bars = loadBars(data);
const gmInput = withSma(loadGrademarkBars(data), 30);

function best(xs: number[]): number {
  return Math.min(...xs);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

interface Side {
  readonly run: () => number;
  /** wall-clock ms per run */
  readonly ms: number[];
  /** process CPU ms (user + system) per run: robust when the machine is shared */
  readonly cpu: number[];
  trades: number;
}

function side(run: () => number): Side {
  return { run, ms: [], cpu: [], trades: 0 };
}

/** Warm both up (JIT tiers), then alternate runs so both meet the same machine conditions. */
function race(a: Side, b: Side): void {
  for (let i = 0; i < 20; i++) {
    a.run();
    b.run();
  }
  for (let i = 0; i < RUNS; i++) {
    for (const s of i % 2 === 0 ? [a, b] : [b, a]) {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      s.trades = s.run();
      s.ms.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      s.cpu.push((c.user + c.system) / 1000);
    }
  }
}

const RULES_YAML =
  'risk:\n  rules:\n    RULE-001: { limit: 5 }\n    RULE-003: { limit: "500" }\n    RULE-004: { limit: "300" }\n';
const rulesConfig = validateConfigText(RULES_YAML).config as RawConfig;

function riskgateRun(config: RawConfig | undefined): () => number {
  return () => {
    const session = new BacktestSession({ symbol: 'SPX', config });
    session.simulateBars(bars, smaCross.create({ period: '30', qty: '1', decideOnFillBar: 'false' }));
    return session.roundTrips().length;
  };
}
const ours = side(riskgateRun(undefined));
const theirs = side(() => grademark.backtest(smaCrossStrategy, gmInput).length);
race(ours, theirs);
if (ours.trades !== theirs.trades)
  throw new Error(`trade counts differ: riskgate ${ours.trades}, grademark ${theirs.trades}`);
const oursRules = side(riskgateRun(rulesConfig));
const theirs2 = side(() => grademark.backtest(smaCrossStrategy, gmInput).length);
race(oursRules, theirs2);
if (oursRules.trades !== theirs2.trades)
  throw new Error(`trade counts differ with rules: riskgate ${oursRules.trades}, grademark ${theirs2.trades}`);

// Median CPU time per run: the machine running the benchmark may be shared, and CPU time does not
// count the time the process waits for a core (wall-clock best and median are reported too).
const riskgateBarsPerSec = bars.length / (median(ours.cpu) / 1000);
const grademarkBarsPerSec = bars.length / (median(theirs.cpu) / 1000);
const rulesBarsPerSec = bars.length / (median(oursRules.cpu) / 1000);
const grademark2BarsPerSec = bars.length / (median(theirs2.cpu) / 1000);
const result = {
  benchmark: 'backtest sma-cross(30), S&P 500 daily 2000-2020',
  bars: bars.length,
  trades: ours.trades,
  runs: RUNS,
  riskgate: {
    cpuMedianMs: median(ours.cpu),
    wallBestMs: best(ours.ms),
    wallMedianMs: median(ours.ms),
    barsPerSec: Math.round(riskgateBarsPerSec),
  },
  grademark: {
    version: '0.3.0',
    cpuMedianMs: median(theirs.cpu),
    wallBestMs: best(theirs.ms),
    wallMedianMs: median(theirs.ms),
    barsPerSec: Math.round(grademarkBarsPerSec),
    note: 'SMA precomputed, loading excluded',
  },
  ratio: riskgateBarsPerSec / grademarkBarsPerSec,
  withRules: {
    config: RULES_YAML,
    cpuMedianMs: median(oursRules.cpu),
    wallBestMs: best(oursRules.ms),
    wallMedianMs: median(oursRules.ms),
    barsPerSec: Math.round(rulesBarsPerSec),
    grademarkCpuMedianMs: median(theirs2.cpu),
    ratio: rulesBarsPerSec / grademark2BarsPerSec,
  },
  /** Issue 17: riskgate ÷ grademark throughput with the rules on, and without. */
  target: { withRules: 2, withoutRules: 10 },
  load1: loadavg()[0],
  node: process.version,
};
const out = fileURLToPath(new URL('./results/backtest.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
