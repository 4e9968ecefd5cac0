/**
 * `riskgate backtest` (DESIGN §5): the paper matching engine over historical bars with a built-in
 * or file strategy; prints a JSON or text report and optionally writes an HTML report and an
 * equity-curve PNG. Deterministic: the data's time is the only clock.
 */
import { backtestInstrument, decimalFlag } from '../../backtest/instrument-choice.ts';
import { basename, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import type { Quote } from '../../adapters/broker.ts';
import type { BacktestOptions } from '../../backtest/engine.ts';
import type { Bar } from '../../backtest/types.ts';
import { requireInputFile, writeOutputFile } from '../files.ts';

export const BUNDLED_BARS = fileURLToPath(new URL('../../../data-bundled/sp500-2000.csv', import.meta.url));

interface BacktestCliOptions {
  data?: string[];
  strategy: string;
  param: string[];
  config?: string;
  account?: string;
  report: string;
  html?: string;
  png?: string;
  capital: string;
  symbol?: string;
  slippageTicks: string;
  fee: string;
  tickSize?: string;
  tickValue?: string;
  periodsPerYear?: string;
  progress: boolean;
}

function parseParams(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new AppError('ERR_BACKTEST_INPUT', `--param ${p}: expected key=value`);
    out[p.slice(0, i).trim()] = p.slice(i + 1).trim();
  }
  return out;
}

type Input =
  | { kind: 'bars'; bars: Bar[]; symbol: string }
  | { kind: 'symbolQuotes'; quotes: Quote[]; symbols: string[]; symbol: string }
  | { kind: 'quotes'; quotes: Quote[]; symbol: string }
  | { kind: 'feeds'; feeds: import('../../backtest/feeds-file.ts').LoadedFeed[]; symbol: string };

/**
 * Bars (CSV, JSON candles, DBN OHLCV) or quotes (DBN quote schemas, NDJSON event logs) of one
 * instrument; several files or a directory: the bars of several instruments (one account).
 */
async function loadInput(paths: readonly string[], symbolFlag: string | undefined): Promise<Input> {
  const { expandDataPaths, loadFeeds } = await import('../../backtest/feeds-file.ts');
  const files = expandDataPaths(paths);
  if (files.length > 1 || paths.some((p) => p !== files[0])) {
    if (symbolFlag !== undefined)
      throw new AppError(
        'ERR_BACKTEST_INPUT',
        '--symbol names the instrument of one file; with several, file names do',
      );
    const feeds = await loadFeeds(files);
    return { kind: 'feeds', feeds, symbol: feeds.map((f) => f.symbol).join(',') };
  }
  const data = files[0] as string;
  requireInputFile(data, '--data file');
  const { loadBars } = await import('../../backtest/bars-file.ts');
  const { isDbnPath, loadDbnBars } = await import('../../backtest/bars-dbn.ts');
  const { isQuoteData, loadQuotes, loadQuotesOf, severalSymbols } = await import('../../backtest/quotes-file.ts');
  if (severalSymbols(symbolFlag) && (await isQuoteData(data))) {
    const q = await loadQuotesOf(data, symbolFlag as string);
    return { kind: 'symbolQuotes', quotes: q.quotes, symbols: q.symbols, symbol: q.symbols.join(',') };
  }
  if (await isQuoteData(data)) {
    const q = await loadQuotes(data, symbolFlag);
    return { kind: 'quotes', quotes: q.quotes, symbol: q.symbol };
  }
  if (isDbnPath(data)) {
    // The symbol comes from the file's symbology; --symbol picks one of several instruments.
    const b = await loadDbnBars(data, symbolFlag);
    return { kind: 'bars', bars: b.bars, symbol: b.symbol };
  }
  return { kind: 'bars', bars: loadBars(data), symbol: symbolFlag ?? basename(data, extname(data)).toUpperCase() };
}

/** The checked numeric flags every kind of run shares. */
function runFlags(o: BacktestCliOptions) {
  const slippageTicks = Number(o.slippageTicks);
  if (!Number.isInteger(slippageTicks) || slippageTicks < 0)
    throw new AppError('ERR_BACKTEST_INPUT', `--slippage-ticks: expected a whole number ≥ 0, got ${o.slippageTicks}`);
  const periodsPerYear = o.periodsPerYear === undefined ? undefined : Number(o.periodsPerYear);
  if (periodsPerYear !== undefined && !(periodsPerYear > 0))
    throw new AppError('ERR_BACKTEST_INPUT', `--periods-per-year: expected a positive number, got ${o.periodsPerYear}`);
  const capital = decimalFlag('ERR_BACKTEST_INPUT', '--capital', o.capital);
  if (capital <= 0n) throw new AppError('ERR_BACKTEST_INPUT', '--capital must be positive');
  if (!['json', 'text'].includes(o.report))
    throw new AppError('ERR_BACKTEST_INPUT', `--report: json or text, got ${o.report}`);
  return { slippageTicks, periodsPerYear, capital, feePerContract: decimalFlag('ERR_BACKTEST_INPUT', '--fee', o.fee) };
}

export async function backtestAction(o: BacktestCliOptions): Promise<void> {
  // Loaded here, not at the top: `riskgate --help` and the other commands never load them.
  const { SingleBar, Presets } = await import('cli-progress');
  const { loadConfig } = await import('../../config/load.ts');
  const { runBacktest, runQuoteBacktest } = await import('../../backtest/engine.ts');
  const { runPortfolioBacktest, runPortfolioQuoteBacktest } = await import('../../backtest/portfolio.ts');
  const { htmlReport } = await import('../../backtest/report-html.ts');
  const { jsonReport } = await import('../../backtest/report-json.ts');
  const { textReport } = await import('../../backtest/report-text.ts');
  const { loadStrategy } = await import('../../backtest/strategies/registry.ts');
  const { resolveParams } = await import('../../backtest/strategies/params.ts');
  const input = await loadInput(o.data ?? [BUNDLED_BARS], o.symbol);
  const def = await loadStrategy(o.strategy);
  const params = resolveParams(def, parseParams(o.param));
  const strategy = def.create(params);
  // A validated config: its rules run in the backtest through the risk engine (DESIGN §5).
  const config = o.config === undefined ? undefined : loadConfig(o.config).raw;
  const flags = runFlags(o);
  const count =
    input.kind === 'quotes' || input.kind === 'symbolQuotes'
      ? input.quotes.length
      : input.kind === 'bars'
        ? input.bars.length
        : 0;
  const unit = input.kind === 'bars' || input.kind === 'feeds' ? 'bars' : 'quotes';
  const bar =
    o.progress && process.stderr.isTTY && input.kind !== 'feeds'
      ? new SingleBar(
          { stream: process.stderr, format: `backtest [{bar}] {percentage}% | {value}/{total} ${unit}` },
          Presets.shades_classic,
        )
      : undefined;
  bar?.start(count, 0);
  const result = (() => {
    try {
      const options: Omit<BacktestOptions, 'symbol'> = {
        ...flags,
        config,
        account: o.account,
        params,
        strategyName: def.name,
        onProgress: bar ? (done) => bar.update(done) : undefined,
        progressEvery: Math.max(1, Math.floor(count / 100)),
      };
      const symbol = input.symbol;
      const instrument = (s: string) => backtestInstrument(s, o, config, 'ERR_BACKTEST_INPUT');
      if (input.kind === 'feeds')
        return runPortfolioBacktest(
          input.feeds.map((f) => ({ symbol: f.symbol, bars: f.bars, instrument: instrument(f.symbol) })),
          () => def.create(params),
          options,
        );
      if (input.kind === 'symbolQuotes')
        return runPortfolioQuoteBacktest(
          input.quotes,
          input.symbols.map((s) => ({ symbol: s, instrument: instrument(s) })),
          () => def.create(params),
          options,
        );
      const one = { ...options, symbol, instrument: instrument(symbol) };
      return input.kind === 'bars'
        ? runBacktest(input.bars, strategy, one)
        : runQuoteBacktest(input.quotes, strategy, one);
    } finally {
      bar?.stop();
    }
  })();

  process.stdout.write(o.report === 'json' ? `${jsonReport(result)}\n` : textReport(result));
  if (!o.html && !o.png) return;
  // One instrument's prices draw the price chart and buy-and-hold; several instruments have none.
  const prices =
    input.kind === 'bars' ? { bars: input.bars } : input.kind === 'quotes' ? { quotes: input.quotes } : undefined;
  const html = htmlReport(result, prices);
  if (o.html) {
    writeOutputFile(o.html, html, '--html file');
    process.stderr.write(`wrote ${o.html}\n`);
  }
  if (o.png) {
    const { backtestPicture } = await import('../../backtest/report-picture.ts');
    const { png, renderer } = await backtestPicture(result, html, prices);
    writeOutputFile(o.png, png, '--png file');
    process.stderr.write(`wrote ${o.png} (${renderer === 'chromium' ? 'drawn by Chromium' : 'SVG chart'})\n`);
  }
}

export function register(program: Command): void {
  program
    .command('backtest')
    .description('Run a strategy over historical bars or quotes through the paper matching engine')
    .option(
      '--data <file...>',
      "several files or a directory: one account trading every file's instrument (bars). One file: bars: CSV (date|time,open,high,low,close[,volume]), JSON candles or a DBN OHLCV file (.dbn, .dbn.zst); quotes: a DBN file of a quote schema (MBP-1, TBBO, BBO, trades…) or an NDJSON event log (its quote events); default: bundled S&P 500 daily 2000-2020",
    )
    .requiredOption('--strategy <name|file>', 'built-in strategy (sma-cross, orb) or a strategy module file')
    .option(
      '--param <key=value>',
      'strategy parameter (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      '--config <file>',
      'riskgate YAML config: its risk rules run in the backtest (and its instruments are used)',
    )
    .option('--account <id>', 'account the strategy trades as (per-account rule overrides apply)', 'BACKTEST')
    .option('--report <format>', 'json or text', 'text')
    .option('--html <file>', 'write a self-contained HTML report')
    .option(
      '--png <file>',
      'write the equity chart (against buy and hold, drawdown underneath) as PNG: the HTML report drawn by Chromium when installed, else an SVG chart',
    )
    .option('--capital <amount>', 'starting capital', '10000')
    .option(
      '--symbol <symbol>',
      'symbol of the data (default: file name in upper case; DBN: from the file, required if it has several)',
    )
    .option('--slippage-ticks <n>', 'adverse ticks on market and stop fills', '0')
    .option('--fee <amount>', 'fee per contract per fill', '0')
    .option('--tick-size <price>', 'instrument tick size (with --tick-value)')
    .option('--tick-value <amount>', 'instrument tick value (with --tick-size)')
    .option('--periods-per-year <n>', 'annualisation of Sharpe/Sortino (default: bars per year in the data)')
    .option('--no-progress', 'no progress bar')
    .action(async (opts: BacktestCliOptions) => backtestAction(opts));
}
