/**
 * Strategy selection as an API job (`POST /api/v1/research/selections`): the run of `riskgate
 * research select` over a bundled data file with built-in candidate strategies (never a path or a
 * module from the network). `checkSelection` validates at request time, naming body fields;
 * `runSelectionJob` runs on a worker thread (selection-worker.ts) and returns the CLI's
 * `--report json` text.
 */
import type { RawConfig } from '../config/schema.ts';
import { AppError } from '../errors.ts';
import { BUILT_IN_STRATEGIES } from '../backtest/strategies/registry.ts';
import type { SelectSpec } from '../research/select-spec.ts';
import { asBodyError, runFieldsOf } from './research-job.ts';

export interface SelectionRequest {
  /** Candidates as the CLI's `--strategies`, one per item: `sma-cross:period=20`. */
  strategies: string[];
  /** Selector settings (the shape of a `--select` file). */
  settings?: Record<string, unknown>;
  data?: string;
  symbol?: string;
  capital?: string;
  fee?: string;
  slippageTicks?: number;
  account?: string;
  periodsPerYear?: number;
  /** Run the node's risk rules in every candidate's backtest (its config, resolved for `account`). */
  withRules?: boolean;
}

export interface SelectionJobInput {
  readonly kind: 'selection';
  readonly spec: SelectSpec;
}

/** Validates a request before it is queued: candidates, settings, data and enough bars. */
export async function checkSelection(req: SelectionRequest, nodeConfig?: RawConfig): Promise<SelectionJobInput> {
  req.strategies.forEach((c, i) => {
    const name = c.split(':')[0] ?? '';
    if (!Object.hasOwn(BUILT_IN_STRATEGIES, name))
      throw new AppError(
        'ERR_STRATEGY_UNKNOWN',
        `body.strategies[${i}]: ${JSON.stringify(name)} is not one of ${Object.keys(BUILT_IN_STRATEGIES).join(', ')}`,
      );
  });
  try {
    const spec: SelectSpec = {
      ...runFieldsOf(req, nodeConfig),
      strategies: req.strategies.join(','),
      settings: req.settings ?? {},
    };
    const { loadSelection } = await import('../research/select-spec.ts');
    const input = await loadSelection(spec);
    if (input.bars.length <= input.settings.lookback)
      throw new AppError(
        'ERR_RESEARCH_INPUT',
        `body.settings.lookback: ${input.settings.lookback} needs more bars than the data has (${input.bars.length})`,
      );
    return { kind: 'selection', spec };
  } catch (err) {
    throw asBodyError(err);
  }
}

/** Runs a checked request; the JSON report of `riskgate research select --report json`, as text. */
export async function runSelectionJob(
  input: SelectionJobInput,
  progress: (done: number, total: number) => void,
): Promise<string> {
  const { loadSelection } = await import('../research/select-spec.ts');
  const { runSelection, selectionJson } = await import('../research/select.ts');
  try {
    return selectionJson(runSelection(await loadSelection(input.spec), progress));
  } catch (err) {
    throw asBodyError(err);
  }
}
