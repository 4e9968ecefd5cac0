/** Reading strategy parameters (always strings from `--param k=v`) with clear errors. */
import { AppError } from '../../errors.ts';
import { parseFixed, type Fixed } from '../../domain/money.ts';
import type { StrategyDefinition } from '../types.ts';

export function intParam(params: Readonly<Record<string, string>>, key: string, min = 1): number {
  const raw = params[key];
  const n = Number(raw);
  if (raw === undefined || !Number.isInteger(n) || n < min)
    throw new AppError(
      'ERR_BACKTEST_INPUT',
      `--param ${key}: expected an integer ≥ ${min}, got ${JSON.stringify(raw)}`,
    );
  return n;
}

/** A non-negative decimal parameter (exact, as prices are). */
export function decimalParam(params: Readonly<Record<string, string>>, key: string): Fixed {
  const raw = params[key];
  let value: Fixed | undefined;
  try {
    value = parseFixed(raw ?? '');
  } catch {
    value = undefined;
  }
  if (value === undefined || value < 0n)
    throw new AppError('ERR_BACKTEST_INPUT', `--param ${key}: expected a decimal ≥ 0, got ${JSON.stringify(raw)}`);
  return value;
}

export function boolParam(params: Readonly<Record<string, string>>, key: string): boolean {
  const raw = (params[key] ?? '').toLowerCase();
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new AppError(
    'ERR_BACKTEST_INPUT',
    `--param ${key}: expected true or false, got ${JSON.stringify(params[key])}`,
  );
}

/** Defaults merged with the given params; unknown keys are an error naming them. */
export function resolveParams(
  def: StrategyDefinition,
  given: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, spec] of Object.entries(def.params)) out[k] = spec.default;
  for (const [k, v] of Object.entries(given)) {
    if (!(k in def.params))
      throw new AppError(
        'ERR_BACKTEST_INPUT',
        `--param ${k}: strategy ${def.name} has no such parameter (known: ${Object.keys(def.params).join(', ') || 'none'})`,
      );
    out[k] = v;
  }
  return out;
}
