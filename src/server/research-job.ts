/**
 * Research jobs for the API (issue 17: `POST /api/v1/research/sweeps` and `/walkforwards`): the
 * runs of `riskgate research sweep|walkforward` over a bundled data file with a built-in strategy
 * (never a path or a module from the network). `checkResearch` validates at request time, naming
 * body fields; `runResearchJob` runs the backtests on a pool of worker threads (src/research) and
 * returns the CLI's `--report json` text.
 */
import type { RawConfig } from '../config/schema.ts';
import { AppError } from '../errors.ts';
import { BUILT_IN_STRATEGIES } from '../backtest/strategies/registry.ts';
import { parseMetric, type Metric } from '../research/metric.ts';
import { gridSets, parseParamAxes, parseSeed, randomSets, type ParamSet } from '../research/param-space.ts';
import type { RunSpec } from '../research/run-spec.ts';
import { rollingWindows, type WindowBounds } from '../research/walkforward.ts';
import { bundledDataPath } from './backtest-job.ts';
import type { SelectionJobInput } from './selection-job.ts';

export type ResearchKind = 'sweep' | 'walkforward';
/** Backtests one API job may ask for (a sweep's sets; a walk-forward's sets + 1 per window). */
export const MAX_RESEARCH_TASKS = 20_000;

export interface ResearchRequest {
  strategy: string;
  /** Parameter axes as the CLI's `--param`: `key=a..b:step`, `key=a..b`, `key=v1,v2` or `key=v`. */
  params: string[];
  random?: number;
  seed?: string;
  metric?: string;
  data?: string;
  symbol?: string;
  capital?: string;
  fee?: string;
  slippageTicks?: number;
  account?: string;
  periodsPerYear?: number;
  inSample?: number;
  outOfSample?: number;
  /** Run the node's risk rules in every backtest (its config, resolved for `account`). */
  withRules?: boolean;
}

/** What the research job registry runs: sweeps and walk-forwards, and selections (selection-job.ts). */
export type ResearchInput = BacktestResearchInput | SelectionJobInput;

/** A sweep or a walk-forward. */
export interface BacktestResearchInput {
  readonly kind: ResearchKind;
  readonly spec: RunSpec;
  readonly sets: readonly ParamSet[];
  readonly metric: Metric;
  readonly windows?: readonly WindowBounds[];
  /** Worker threads of the run. */
  readonly workers: number;
}

const FLAG_FIELDS: Readonly<Record<string, string>> = {
  '--param': 'body.params',
  '--strategies': 'body.strategies',
  '--metric': 'body.metric',
  '--seed': 'body.seed',
  '--random': 'body.random',
  '--capital': 'body.capital',
  '--fee': 'body.fee',
  '--data': 'body.data',
  '--in-sample': 'body.inSample',
  '--out-of-sample': 'body.outOfSample',
  '--tick-size': 'body.symbol',
  '--tick-value': 'body.symbol',
};

export type RunFields = Omit<RunSpec, 'strategy'>;

/** The backtest fields of a research request (its defaults; bundled data; the node's rules on request). */
export function runFieldsOf(
  req: Pick<
    ResearchRequest,
    'data' | 'symbol' | 'capital' | 'fee' | 'slippageTicks' | 'account' | 'periodsPerYear' | 'withRules'
  >,
  nodeConfig: RawConfig | undefined,
): RunFields {
  return {
    data: bundledDataPath(req.data),
    config: undefined,
    rawConfig: req.withRules ? nodeConfig : undefined,
    account: req.account ?? 'BACKTEST',
    capital: req.capital ?? '10000',
    symbol: req.symbol,
    slippageTicks: req.slippageTicks ?? 0,
    fee: req.fee ?? '0',
    periodsPerYear: req.periodsPerYear,
  };
}

/** The research modules speak in CLI flags; the API names the body field. */
export function asBodyError(err: unknown): unknown {
  if (!(err instanceof AppError)) return err;
  const message = err.message.replace(/--[a-z-]+/g, (flag) => FLAG_FIELDS[flag] ?? flag);
  return new AppError(err.code, message, err.details);
}

function tooMany(tasks: number): AppError {
  return new AppError(
    'ERR_RESEARCH_INPUT',
    `body.params: ${tasks} backtests; at most ${MAX_RESEARCH_TASKS} per API job (narrow the ranges or use body.random)`,
  );
}

/** Validates a request before it is queued: every mistake is a 400 now, not a failed job later. */
export async function checkResearch(
  kind: ResearchKind,
  req: ResearchRequest,
  workers: number,
  nodeConfig?: RawConfig,
): Promise<BacktestResearchInput> {
  if (!Object.hasOwn(BUILT_IN_STRATEGIES, req.strategy))
    throw new AppError('ERR_STRATEGY_UNKNOWN', `body.strategy: one of ${Object.keys(BUILT_IN_STRATEGIES).join(', ')}`);
  try {
    const metric = parseMetric(req.metric ?? 'netPnl');
    const axes = parseParamAxes(req.params);
    const sets = req.random === undefined ? gridSets(axes) : randomSets(axes, req.random, parseSeed(req.seed ?? '0'));
    if (sets.length > MAX_RESEARCH_TASKS) throw tooMany(sets.length);
    const spec: RunSpec = { ...runFieldsOf(req, nodeConfig), strategy: req.strategy };
    const { loadRun, strategyParams } = await import('../research/run-spec.ts');
    const run = await loadRun(spec);
    for (const set of sets) strategyParams(run, set);
    if (kind === 'sweep') return { kind, spec, sets, metric, workers: Math.min(workers, sets.length) };
    if (req.inSample === undefined || req.outOfSample === undefined)
      throw new AppError(
        'ERR_RESEARCH_INPUT',
        `body.${req.inSample === undefined ? 'inSample' : 'outOfSample'}: required for a walk-forward (bars)`,
      );
    const windows = rollingWindows(run.bars.length, req.inSample, req.outOfSample);
    const tasks = windows.length * (sets.length + 1);
    if (tasks > MAX_RESEARCH_TASKS) throw tooMany(tasks);
    return { kind, spec, sets, metric, windows, workers: Math.min(workers, tasks) };
  } catch (err) {
    throw asBodyError(err);
  }
}

/** Runs a checked request on its worker pool; the JSON report of the CLI, as text. */
export async function runResearchJob(
  input: BacktestResearchInput,
  signal: AbortSignal,
  progress: (done: number, total: number) => void,
): Promise<string> {
  const { SweepPool } = await import('../research/pool.ts');
  const { loadRun } = await import('../research/run-spec.ts');
  const run = await loadRun(input.spec);
  const tasks = input.windows ? input.windows.length * (input.sets.length + 1) : input.sets.length;
  let done = 0;
  progress(0, tasks);
  const tick = () => progress(++done, tasks);
  const pool = await SweepPool.start(input.spec, Math.max(1, input.workers));
  const stop = () => void pool.close();
  signal.addEventListener('abort', stop);
  try {
    if (!input.windows) {
      const { runSweep, sweepJson } = await import('../research/sweep.ts');
      return sweepJson(await runSweep(pool, input.sets, run.bars.length, input.metric, tick));
    }
    const { runWalkForward, walkForwardJson } = await import('../research/walkforward.ts');
    const report = await runWalkForward(
      pool,
      {
        bars: run.bars,
        capital: run.capital,
        periodsPerYear: input.spec.periodsPerYear,
        sets: input.sets,
        windows: input.windows,
        metric: input.metric,
      },
      tick,
    );
    return walkForwardJson(report);
  } catch (err) {
    throw asBodyError(err);
  } finally {
    signal.removeEventListener('abort', stop);
    await pool.close();
  }
}
