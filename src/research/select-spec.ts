/**
 * What a selection run needs, as plain data (the CLI's flags, or an API job's body), and its
 * loaded form: candidates `name-or-file[:key=value]…` comma-separated, selector settings over the
 * defaults, and the bars and backtest options of `riskgate backtest` (run-spec.ts).
 *   const input = await loadSelection(spec); runSelection(input, onProgress)
 */
import { AppError } from '../errors.ts';
import { loadStrategy } from '../backtest/strategies/registry.ts';
import { resolveParams } from '../backtest/strategies/params.ts';
import { loadRun, type RunSpec } from './run-spec.ts';
import type { Candidate, SelectionInput } from './select.ts';
import { parseSelectorSettings } from './selector-settings.ts';

export interface SelectSpec extends Omit<RunSpec, 'strategy'> {
  /** `sma-cross:period=20,sma-cross:period=50,strategies/buy-and-hold.ts` */
  readonly strategies: string;
  /** Selector settings (the shape of a `--select` file); absent keys take the defaults. */
  readonly settings?: unknown;
}

/** The candidates of `--strategies`; each strategy is loaded and its parameters checked. */
export async function parseCandidates(text: string): Promise<Candidate[]> {
  const ids = text
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  if (ids.length === 0) throw new AppError('ERR_RESEARCH_INPUT', '--strategies: no candidate given');
  if (new Set(ids).size !== ids.length)
    throw new AppError('ERR_RESEARCH_INPUT', '--strategies: a candidate is given twice');
  const out: Candidate[] = [];
  for (const id of ids) {
    const [name, ...pairs] = id.split(':');
    const given: Record<string, string> = {};
    for (const p of pairs) {
      const eq = p.indexOf('=');
      if (eq <= 0)
        throw new AppError(
          'ERR_RESEARCH_INPUT',
          `--strategies ${id}: expected name:key=value…, got ${JSON.stringify(p)}`,
        );
      given[p.slice(0, eq)] = p.slice(eq + 1);
    }
    const def = await loadStrategy(name as string);
    const params = resolveParams(def, given);
    def.create(params); // validates the values
    out.push({ id, def, params });
  }
  return out;
}

/** Loads the bars, the candidates and the settings of `spec`. */
export async function loadSelection(spec: SelectSpec): Promise<SelectionInput> {
  const candidates = await parseCandidates(spec.strategies);
  const settings = parseSelectorSettings(spec.settings ?? {});
  const run = await loadRun({ ...spec, strategy: (candidates[0] as Candidate).def.name });
  return { bars: run.bars, base: run.base, candidates, settings, periodsPerYear: spec.periodsPerYear };
}

/** Progress steps of a selection: one per candidate backtest and one per selection. */
export function selectionSteps(input: SelectionInput): number {
  const { lookback, rebalance } = input.settings;
  return input.candidates.length + Math.max(0, Math.ceil((input.bars.length - lookback) / rebalance));
}
