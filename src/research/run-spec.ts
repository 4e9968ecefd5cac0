/**
 * What every backtest of a sweep shares (data, strategy, rules, account), as plain data a worker
 * thread receives, and the loaded form both the main thread and each worker build from it. Each
 * run is `riskgate backtest` over the bars `from`..`to` (end exclusive) with one parameter set:
 * a fresh account, a fresh risk engine from the config, a fresh strategy from `create()`.
 */
import { backtestInstrument, decimalFlag } from '../backtest/instrument-choice.ts';
import { basename, extname } from 'node:path';
import { AppError } from '../errors.ts';
import { type Fixed } from '../domain/money.ts';
import type { RawConfig } from '../config/schema.ts';
import { loadConfig } from '../config/load.ts';
import { loadBars } from '../backtest/bars-file.ts';
import { isDbnPath, loadDbnBars } from '../backtest/bars-dbn.ts';
import { isQuoteData } from '../backtest/quotes-file.ts';
import { runBacktest, type BacktestOptions } from '../backtest/engine.ts';
import { loadStrategy } from '../backtest/strategies/registry.ts';
import { resolveParams } from '../backtest/strategies/params.ts';
import type { BacktestResult, Bar, StrategyDefinition } from '../backtest/types.ts';
import type { ParamSet } from './param-space.ts';

export interface RunSpec {
  /** Absolute path of the bars file. */
  readonly data: string;
  readonly strategy: string;
  readonly config?: string | undefined;
  /** The rules as a validated config (the API: the running node's), instead of a `config` file. */
  readonly rawConfig?: RawConfig | undefined;
  readonly account: string;
  readonly capital: string;
  readonly symbol?: string | undefined;
  readonly slippageTicks: number;
  readonly fee: string;
  readonly tickSize?: string | undefined;
  readonly tickValue?: string | undefined;
  readonly periodsPerYear?: number | undefined;
}

export interface LoadedRun {
  readonly bars: readonly Bar[];
  readonly symbol: string;
  readonly def: StrategyDefinition;
  readonly config: RawConfig | undefined;
  readonly capital: Fixed;
  readonly base: BacktestOptions;
}

/** Loads the bars, the strategy and the config of `spec`, as `riskgate backtest` does. */
export async function loadRun(spec: RunSpec): Promise<LoadedRun> {
  if (await isQuoteData(spec.data))
    throw new AppError(
      'ERR_RESEARCH_INPUT',
      `--data ${spec.data}: research runs on bars; quote data is not supported here (use riskgate backtest)`,
    );
  let bars: Bar[];
  let symbol: string;
  if (isDbnPath(spec.data)) {
    const b = await loadDbnBars(spec.data, spec.symbol);
    bars = b.bars;
    symbol = b.symbol;
  } else {
    bars = loadBars(spec.data);
    symbol = spec.symbol ?? basename(spec.data, extname(spec.data)).toUpperCase();
  }
  const def = await loadStrategy(spec.strategy);
  const config = spec.rawConfig ?? (spec.config === undefined ? undefined : loadConfig(spec.config).raw);
  const capital = decimalFlag('ERR_RESEARCH_INPUT', '--capital', spec.capital);
  if (capital <= 0n) throw new AppError('ERR_RESEARCH_INPUT', '--capital must be positive');
  const base: BacktestOptions = {
    symbol,
    instrument: backtestInstrument(symbol, spec, config, 'ERR_RESEARCH_INPUT'),
    capital,
    slippageTicks: spec.slippageTicks,
    feePerContract: decimalFlag('ERR_RESEARCH_INPUT', '--fee', spec.fee),
    config,
    account: spec.account,
    strategyName: def.name,
    periodsPerYear: spec.periodsPerYear,
  };
  return { bars, symbol, def, config, capital, base };
}

/** The strategy's full parameters for a set (defaults filled in); invalid values throw here. */
export function strategyParams(run: LoadedRun, set: ParamSet): Record<string, string> {
  const params = resolveParams(run.def, set);
  run.def.create(params); // validates every value the strategy reads (an error names the --param)
  return params;
}

/** One backtest of the bars `from`..`to` (end exclusive) with `set`. */
export function runSlice(run: LoadedRun, set: ParamSet, from: number, to: number): BacktestResult {
  const params = resolveParams(run.def, set);
  const bars = from === 0 && to === run.bars.length ? run.bars : run.bars.slice(from, to);
  return runBacktest(bars, run.def.create(params), { ...run.base, params });
}
