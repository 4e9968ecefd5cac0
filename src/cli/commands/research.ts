/**
 * `riskgate research sweep|walkforward` (DESIGN §5, docs/research.md): one backtest per parameter
 * set (grid or seeded random) on worker threads, the best set by a metric; walk-forward chooses it
 * in-sample and scores it out-of-sample. Reports are byte-identical for any `--workers`.
 */
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';

const BUNDLED_BARS = fileURLToPath(new URL('../../../data-bundled/sp500-2000.csv', import.meta.url));

interface ResearchCliOptions {
  data?: string;
  strategy: string;
  param: string[];
  random?: string;
  seed: string;
  metric: string;
  workers?: string;
  report: string;
  html?: string;
  config?: string;
  account: string;
  capital: string;
  symbol?: string;
  slippageTicks: string;
  fee: string;
  tickSize?: string;
  tickValue?: string;
  periodsPerYear?: string;
  progress: boolean;
  inSample?: string;
  outOfSample?: string;
}

function whole(flag: string, text: string, min: number): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < min)
    throw new AppError('ERR_RESEARCH_INPUT', `${flag}: expected a whole number ≥ ${min}, got ${JSON.stringify(text)}`);
  return n;
}

/** The backtest flags every research command shares (data, rules, account, costs), checked. */
async function runFlags(
  o: Pick<
    ResearchCliOptions,
    | 'data'
    | 'config'
    | 'account'
    | 'capital'
    | 'symbol'
    | 'slippageTicks'
    | 'fee'
    | 'tickSize'
    | 'tickValue'
    | 'periodsPerYear'
  >,
) {
  const { requireInputFile } = await import('../files.ts');
  const data = resolve(o.data ?? BUNDLED_BARS);
  requireInputFile(data, '--data file');
  const periodsPerYear = o.periodsPerYear === undefined ? undefined : Number(o.periodsPerYear);
  if (periodsPerYear !== undefined && !(periodsPerYear > 0))
    throw new AppError('ERR_RESEARCH_INPUT', `--periods-per-year: expected a positive number, got ${o.periodsPerYear}`);
  return {
    data,
    config: o.config === undefined ? undefined : resolve(o.config),
    account: o.account,
    capital: o.capital,
    symbol: o.symbol,
    slippageTicks: whole('--slippage-ticks', o.slippageTicks, 0),
    fee: o.fee,
    tickSize: o.tickSize,
    tickValue: o.tickValue,
    periodsPerYear,
  };
}

/** Flags, parameter sets and the run, checked in this thread before any worker starts. */
async function prepare(o: ResearchCliOptions) {
  const { parseParamAxes, gridSets, randomSets, parseSeed } = await import('../../research/param-space.ts');
  const { parseMetric } = await import('../../research/metric.ts');
  const { loadRun, strategyParams } = await import('../../research/run-spec.ts');
  if (!['json', 'text'].includes(o.report))
    throw new AppError('ERR_RESEARCH_INPUT', `--report: json or text, got ${o.report}`);
  const metric = parseMetric(o.metric);
  const workers = o.workers === undefined ? availableParallelism() : whole('--workers', o.workers, 1);
  const axes = parseParamAxes(o.param);
  const seed = parseSeed(o.seed);
  const sets = o.random === undefined ? gridSets(axes) : randomSets(axes, whole('--random', o.random, 1), seed);
  const spec = { ...(await runFlags(o)), strategy: o.strategy };
  const run = await loadRun(spec);
  for (const set of sets) strategyParams(run, set);
  return { spec, run, axes, sets, metric, workers };
}

type Prepared = Awaited<ReturnType<typeof prepare>>;
type Job<T> = (pool: import('../../research/pool.ts').SweepPool, tick?: () => void) => Promise<T>;

/** Runs `job` on the workers (never more than its `tasks`), with a progress bar on a terminal. */
async function withPool<T>(
  o: ResearchCliOptions,
  prepared: Prepared,
  label: string,
  tasks: number,
  job: Job<T>,
): Promise<T> {
  const { SweepPool } = await import('../../research/pool.ts');
  const { countProgress } = await import('../progress.ts');
  const pool = await SweepPool.start(prepared.spec, Math.min(prepared.workers, tasks));
  const bar = o.progress ? countProgress(label, 'backtests', tasks) : undefined;
  try {
    return await job(pool, bar?.tick);
  } finally {
    bar?.stop();
    await pool.close();
  }
}

async function writeHtml(file: string | undefined, html: () => Promise<string>): Promise<void> {
  if (file === undefined) return;
  const { writeOutputFile } = await import('../files.ts');
  writeOutputFile(file, await html(), '--html file');
  process.stderr.write(`wrote ${file}\n`);
}

export async function sweepAction(o: ResearchCliOptions): Promise<void> {
  const p = await prepare(o);
  const { runSweep, sweepJson } = await import('../../research/sweep.ts');
  const report = await withPool(o, p, 'sweep', p.sets.length, (pool, tick) =>
    runSweep(pool, p.sets, p.run.bars.length, p.metric, tick),
  );
  const { sweepText } = await import('../../research/report-text.ts');
  process.stdout.write(o.report === 'json' ? `${sweepJson(report)}\n` : sweepText(report, p.metric));
  await writeHtml(o.html, async () => {
    const { sweepHtml } = await import('../../research/report-html.ts');
    return sweepHtml(report, p.axes, p.metric, `riskgate research sweep: ${p.run.def.name} on ${p.run.symbol}`);
  });
}

export async function walkForwardAction(o: ResearchCliOptions): Promise<void> {
  const p = await prepare(o);
  const { rollingWindows, runWalkForward, walkForwardJson } = await import('../../research/walkforward.ts');
  const windows = rollingWindows(
    p.run.bars.length,
    whole('--in-sample', o.inSample ?? '', 2),
    whole('--out-of-sample', o.outOfSample ?? '', 2),
  );
  const tasks = windows.length * (p.sets.length + 1);
  const input = {
    bars: p.run.bars,
    capital: p.run.capital,
    periodsPerYear: p.spec.periodsPerYear,
    sets: p.sets,
    windows,
    metric: p.metric,
  };
  const report = await withPool(o, p, 'walkforward', tasks, (pool, tick) => runWalkForward(pool, input, tick));
  const { walkForwardText } = await import('../../research/report-text.ts');
  process.stdout.write(o.report === 'json' ? `${walkForwardJson(report)}\n` : walkForwardText(report));
  await writeHtml(o.html, async () => {
    const { walkForwardHtml } = await import('../../research/report-html.ts');
    return walkForwardHtml(report, p.metric, `riskgate research walkforward: ${p.run.def.name} on ${p.run.symbol}`);
  });
}

interface SelectCliOptions extends Omit<
  ResearchCliOptions,
  'strategy' | 'param' | 'random' | 'seed' | 'metric' | 'workers' | 'html'
> {
  strategies: string;
  select?: string;
  lookback?: string;
  rebalance?: string;
  maxActive?: string;
  method?: string;
}

export async function selectAction(o: SelectCliOptions): Promise<void> {
  const { loadSelection, selectionSteps } = await import('../../research/select-spec.ts');
  const { loadSelectorSettings, parseSelectorSettings } = await import('../../research/selector-settings.ts');
  const { runSelection, selectionJson } = await import('../../research/select.ts');
  if (!['json', 'text'].includes(o.report))
    throw new AppError('ERR_RESEARCH_INPUT', `--report: json or text, got ${o.report}`);
  const file = o.select === undefined ? parseSelectorSettings({}) : loadSelectorSettings(o.select);
  const settings = {
    ...file,
    ...(o.lookback === undefined ? {} : { lookback: Number(o.lookback) }),
    ...(o.rebalance === undefined ? {} : { rebalance: Number(o.rebalance) }),
    ...(o.maxActive === undefined ? {} : { maxActive: Number(o.maxActive) }),
    allocation: { ...file.allocation, ...(o.method === undefined ? {} : { method: o.method }) },
  };
  parseSelectorSettings(settings); // flag errors before any data is read
  const input = await loadSelection({ ...(await runFlags(o)), strategies: o.strategies, settings });
  const { countProgress } = await import('../progress.ts');
  const bar = o.progress ? countProgress('select', 'steps', selectionSteps(input)) : undefined;
  const report = (() => {
    try {
      return runSelection(input, bar ? () => bar.tick() : undefined);
    } finally {
      bar?.stop();
    }
  })();
  const { selectionText } = await import('../../research/report-text.ts');
  process.stdout.write(o.report === 'json' ? `${selectionJson(report)}\n` : selectionText(report));
}

function common(cmd: Command): Command {
  return cmd
    .option(
      '--data <file>',
      'bars: CSV (date|time,open,high,low,close[,volume]), JSON candles or DBN OHLCV; default: bundled S&P 500 daily 2000-2020',
    )
    .requiredOption('--strategy <name|file>', 'built-in strategy (sma-cross, orb) or a strategy module file')
    .option(
      '--param <key=a..b:step>',
      'parameter range (repeatable; also key=a..b, key=v1,v2 or key=v); several give their cartesian product, the first outermost',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--random <n>', 'n distinct sets drawn from the ranges instead of the whole grid')
    .option('--seed <s>', 'seed of --random', '0')
    .option(
      '--metric <name>',
      'netPnl, sharpe, sortino, totalReturnPct, cagrPct, profitFactor, winRate or maxDrawdownPct (lowest wins)',
      'netPnl',
    )
    .option('--workers <n>', 'worker threads (default: the cores)')
    .option('--report <format>', 'json or text', 'text')
    .option('--html <file>', 'write an HTML page')
    .option('--config <file>', 'riskgate YAML config: its risk rules run in every backtest')
    .option('--account <id>', 'account the strategy trades as', 'BACKTEST')
    .option('--capital <amount>', 'starting capital', '10000')
    .option('--symbol <symbol>', 'symbol of the data (default: file name in upper case)')
    .option('--slippage-ticks <n>', 'adverse ticks on market and stop fills', '0')
    .option('--fee <amount>', 'fee per contract per fill', '0')
    .option('--tick-size <price>', 'instrument tick size (with --tick-value)')
    .option('--tick-value <amount>', 'instrument tick value (with --tick-size)')
    .option('--periods-per-year <n>', 'annualisation of Sharpe/Sortino (default: bars per year in the data)')
    .option('--no-progress', 'no progress bar');
}

export function register(program: Command): void {
  const research = program
    .command('research')
    .description('Parameter sweeps and walk-forward analysis over historical bars');
  common(research.command('sweep').description('One backtest per parameter set; the best by --metric')).action(
    async (o: ResearchCliOptions) => sweepAction(o),
  );
  common(
    research.command('walkforward').description('Rolling windows: parameters chosen in-sample, scored out-of-sample'),
  )
    .requiredOption('--in-sample <bars>', 'in-sample window, in bars')
    .requiredOption('--out-of-sample <bars>', 'out-of-sample window (and step), in bars')
    .action(async (o: ResearchCliOptions) => walkForwardAction(o));
  research
    .command('select')
    .description('Score candidate strategies on a schedule, pick the active set and allocate capital to it')
    .requiredOption(
      '--strategies <list>',
      'candidates, comma-separated: name or file, with :key=value params (sma-cross:period=20)',
    )
    .option('--data <file>', 'bars: CSV, JSON candles or DBN OHLCV; default: bundled S&P 500 daily 2000-2020')
    .option(
      '--select <file>',
      'selector settings (YAML or JSON): lookback, rebalance, maxActive, minScore, weights, allocation',
    )
    .option('--lookback <bars>', 'bars each selection scores (overrides the file)')
    .option('--rebalance <bars>', 'bars between selections (overrides the file)')
    .option('--max-active <n>', 'most strategies active at once (overrides the file)')
    .option('--method <name>', 'allocation: max-sharpe, risk-parity, max-diversification, min-variance, mean-variance')
    .option('--report <format>', 'json or text', 'text')
    .option('--config <file>', 'riskgate YAML config: its risk rules run in every candidate backtest')
    .option('--account <id>', 'account the strategies trade as', 'BACKTEST')
    .option('--capital <amount>', 'starting capital', '10000')
    .option('--symbol <symbol>', 'symbol of the data (default: file name in upper case)')
    .option('--slippage-ticks <n>', 'adverse ticks on market and stop fills', '0')
    .option('--fee <amount>', 'fee per contract per fill', '0')
    .option('--tick-size <price>', 'instrument tick size (with --tick-value)')
    .option('--tick-value <amount>', 'instrument tick value (with --tick-size)')
    .option('--periods-per-year <n>', 'annualisation of Sharpe (default: bars per year in the data)')
    .option('--no-progress', 'no progress bar')
    .action(async (o: SelectCliOptions) => selectAction(o));
}
