/**
 * Backtest throughput: riskgate vs grademark 0.3.0, same data (S&P 500 daily 2000-2020), same
 * sma-cross(30), same run. Timed: only the backtest call on each side — riskgate's
 * `runBacktest` (paper matching engine, exact bigint money, equity marks, stats) and grademark's
 * `backtest()` with the SMA precomputed as a column. Data loading and SMA precomputation for
 * grademark are excluded. Writes bench/results/backtest.json.
 *   node --import tsx bench/backtest.ts [--runs 15]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { loadBars } from '../src/backtest/bars-file.ts';
import { runBacktest } from '../src/backtest/engine.ts';
import { smaCross } from '../src/backtest/strategies/sma-cross.ts';
import { grademark, loadGrademarkBars, smaCrossStrategy, withSma } from '../test/integration/grademark-harness.ts';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 15;
const data = fileURLToPath(new URL('../data-bundled/sp500-2000.csv', import.meta.url));

const bars = loadBars(data);
const gmInput = withSma(loadGrademarkBars(data), 30);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(fn: () => number): { ms: number[]; trades: number } {
  let trades = 0;
  for (let i = 0; i < 3; i++) trades = fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    trades = fn();
    ms.push(performance.now() - t0);
  }
  return { ms, trades };
}

const ours = time(() => runBacktest(bars, smaCross.create({ period: '30', qty: '1', decideOnFillBar: 'false' }), { symbol: 'SPX' }).trades.length);
const theirs = time(() => grademark.backtest(smaCrossStrategy, gmInput).length);
if (ours.trades !== theirs.trades) throw new Error(`trade counts differ: riskgate ${ours.trades}, grademark ${theirs.trades}`);

const riskgateBarsPerSec = bars.length / (median(ours.ms) / 1000);
const grademarkBarsPerSec = bars.length / (median(theirs.ms) / 1000);
const result = {
  benchmark: 'backtest sma-cross(30), S&P 500 daily 2000-2020',
  bars: bars.length,
  trades: ours.trades,
  runs: RUNS,
  riskgate: { medianMs: median(ours.ms), barsPerSec: Math.round(riskgateBarsPerSec) },
  grademark: { version: '0.3.0', medianMs: median(theirs.ms), barsPerSec: Math.round(grademarkBarsPerSec), note: 'SMA precomputed, loading excluded' },
  ratio: riskgateBarsPerSec / grademarkBarsPerSec,
  target: 10,
  node: process.version,
};
const out = fileURLToPath(new URL('./results/backtest.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
