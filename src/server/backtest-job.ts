/**
 * One backtest run for the API (`POST /api/v1/backtests`, DESIGN §5, §6): a built-in strategy
 * over a data file of the bundled data directory (never a path from the network), optionally
 * with the node's risk rules. `checkBacktest` validates at request time; `runBacktestJob` runs on
 * a worker thread (backtest-worker.ts) and returns the JSON and HTML reports.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RawConfig } from '../config/schema.ts';
import { MoneyFormatError, parseFixed, type Fixed } from '../domain/money.ts';
import { AppError } from '../errors.ts';
import { BUILT_IN_STRATEGIES } from '../backtest/strategies/registry.ts';
import { resolveParams } from '../backtest/strategies/params.ts';

export const BUNDLED_DIR = fileURLToPath(new URL('../../data-bundled/', import.meta.url));
export const DEFAULT_DATA = 'sp500-2000.csv';

export interface BacktestRequest {
  strategy: string;
  params?: Record<string, string>;
  /** A file name in data-bundled/ (default sp500-2000.csv). */
  data?: string;
  symbol?: string;
  capital?: string;
  fee?: string;
  slippageTicks?: number;
  account?: string;
  /** Run the node's risk rules in the backtest (its config, resolved for `account`). */
  withRules?: boolean;
}

export interface BacktestInput extends BacktestRequest {
  readonly dataPath: string;
  readonly config?: RawConfig;
}

function money(field: string, text: string | undefined, fallback: string): Fixed {
  try {
    return parseFixed(text ?? fallback);
  } catch (e) {
    if (e instanceof MoneyFormatError) throw new AppError('ERR_BACKTEST_INPUT', `body.${field}: not a decimal`);
    throw e;
  }
}

/** The data file of a request, inside the bundled data directory or refused. */
export function bundledDataPath(name: string | undefined, dir = BUNDLED_DIR): string {
  const file = name ?? DEFAULT_DATA;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(file) || file.includes('..'))
    throw new AppError('ERR_BACKTEST_INPUT', 'body.data: a file name of the bundled data (e.g. sp500-2000.csv)');
  const full = path.join(dir, file);
  if (!existsSync(full) || !statSync(full).isFile())
    throw new AppError('ERR_BACKTEST_INPUT', `body.data: no bundled data file ${file}`);
  const real = realpathSync(full);
  if (!real.startsWith(realpathSync(dir) + path.sep))
    throw new AppError('ERR_BACKTEST_INPUT', `body.data: ${file} is outside the bundled data`);
  return real;
}

/** Validates a request before it is queued: every mistake is a 400 now, not a failed job later. */
export function checkBacktest(req: BacktestRequest, config: RawConfig | undefined): BacktestInput {
  const def = BUILT_IN_STRATEGIES[req.strategy];
  if (!def)
    throw new AppError('ERR_STRATEGY_UNKNOWN', `body.strategy: one of ${Object.keys(BUILT_IN_STRATEGIES).join(', ')}`);
  try {
    resolveParams(def, req.params ?? {});
  } catch (err) {
    // The strategy speaks in CLI flags; the API names the body field.
    if (err instanceof AppError) throw new AppError(err.code, err.message.replace(/^--param /, 'body.params.'));
    throw err;
  }
  if (money('capital', req.capital, '10000') <= 0n)
    throw new AppError('ERR_BACKTEST_INPUT', 'body.capital: must be > 0');
  money('fee', req.fee, '0');
  return { ...req, dataPath: bundledDataPath(req.data), ...(req.withRules && config ? { config } : {}) };
}

/** Runs a checked request; the reports as text (JSON per DESIGN §5, self-contained HTML). */
export async function runBacktestJob(input: BacktestInput): Promise<{ json: string; html: string }> {
  const { loadBars } = await import('../backtest/bars-file.ts');
  const { isDbnPath, loadDbnBars } = await import('../backtest/bars-dbn.ts');
  const { runBacktest, runQuoteBacktest } = await import('../backtest/engine.ts');
  const { isQuoteData, loadQuotes } = await import('../backtest/quotes-file.ts');
  const { jsonReport } = await import('../backtest/report-json.ts');
  const { htmlReport } = await import('../backtest/report-html.ts');
  const def = BUILT_IN_STRATEGIES[input.strategy]!;
  const params = resolveParams(def, input.params ?? {});
  const data = input.dataPath;
  const options = {
    capital: money('capital', input.capital, '10000'),
    slippageTicks: input.slippageTicks ?? 0,
    feePerContract: money('fee', input.fee, '0'),
    ...(input.config ? { config: input.config } : {}),
    ...(input.account ? { account: input.account } : {}),
    params,
    strategyName: def.name,
  };
  const strategy = def.create(params);
  let result;
  if (await isQuoteData(data)) {
    const q = await loadQuotes(data, input.symbol);
    result = runQuoteBacktest(q.quotes, strategy, { ...options, symbol: q.symbol });
  } else if (isDbnPath(data)) {
    const b = await loadDbnBars(data, input.symbol);
    result = runBacktest(b.bars, strategy, { ...options, symbol: b.symbol });
  } else {
    result = runBacktest(loadBars(data), strategy, {
      ...options,
      symbol: input.symbol ?? path.basename(data, path.extname(data)).toUpperCase(),
    });
  }
  return { json: jsonReport(result), html: htmlReport(result) };
}
