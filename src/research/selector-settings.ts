/**
 * The selector's settings file (`riskgate research select --select file.yaml`, YAML or JSON):
 * every key optional, defaults in DEFAULT_SELECTOR_SETTINGS; unknown keys and bad values are
 * errors naming the key.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { AppError } from '../errors.ts';
import { OPTIMIZER_METHODS, type OptimizerMethod } from '../analytics/portfolio-optimizer.ts';
import { DEFAULT_SELECTOR_SETTINGS, type SelectorSettings } from './selector.ts';

type Raw = Record<string, unknown>;

function fail(key: string, what: string, got: unknown): never {
  throw new AppError('ERR_RESEARCH_INPUT', `selector settings ${key}: expected ${what}, got ${JSON.stringify(got)}`);
}

function object(key: string, v: unknown, keys: readonly string[]): Raw {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) fail(key, 'a mapping', v);
  for (const k of Object.keys(v as Raw))
    if (!keys.includes(k)) fail(key === '' ? k : `${key}.${k}`, `one of ${keys.join(', ')}`, k);
  return v as Raw;
}

function num(key: string, v: unknown, dflt: number, ok: (x: number) => boolean, what: string): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) fail(key, what, v);
  return v;
}

const whole = (key: string, v: unknown, dflt: number) =>
  num(key, v, dflt, (x) => Number.isSafeInteger(x) && x >= 1, 'a whole number ≥ 1');
const weight = (key: string, v: unknown, dflt: number) => num(key, v, dflt, (x) => x >= 0, 'a number ≥ 0');
const fraction = (key: string, v: unknown, dflt: number) =>
  num(key, v, dflt, (x) => x > 0 && x <= 1, 'a number in (0, 1]');

/** Settings from a parsed file (or {}), over the defaults. */
export function parseSelectorSettings(raw: unknown): SelectorSettings {
  const d = DEFAULT_SELECTOR_SETTINGS;
  const top = object('', raw, [
    'lookback',
    'rebalance',
    'maxActive',
    'minScore',
    'minRegimeBars',
    'weights',
    'allocation',
  ]);
  const w = object('weights', top.weights, ['sharpe', 'regime', 'drawdown', 'correlation']);
  const a = object('allocation', top.allocation, [
    'method',
    'maxWeight',
    'varBudget',
    'varConfidence',
    'drawdownBudget',
    'kelly',
  ]);
  const method = a.method ?? d.allocation.method;
  if (!OPTIMIZER_METHODS.includes(method as OptimizerMethod))
    fail('allocation.method', OPTIMIZER_METHODS.join(', '), method);
  const kelly = a.kelly ?? d.allocation.kelly;
  if (kelly !== 'full' && kelly !== 'half' && kelly !== 'off') fail('allocation.kelly', 'full, half or off', kelly);
  const lookback = whole('lookback', top.lookback, d.lookback);
  if (lookback < 2) fail('lookback', 'a whole number ≥ 2', lookback);
  return {
    lookback,
    rebalance: whole('rebalance', top.rebalance, d.rebalance),
    maxActive: whole('maxActive', top.maxActive, d.maxActive),
    minScore: num('minScore', top.minScore, d.minScore, () => true, 'a number'),
    minRegimeBars: whole('minRegimeBars', top.minRegimeBars, d.minRegimeBars),
    weights: {
      sharpe: weight('weights.sharpe', w.sharpe, d.weights.sharpe),
      regime: weight('weights.regime', w.regime, d.weights.regime),
      drawdown: weight('weights.drawdown', w.drawdown, d.weights.drawdown),
      correlation: weight('weights.correlation', w.correlation, d.weights.correlation),
    },
    allocation: {
      method: method as OptimizerMethod,
      maxWeight: fraction('allocation.maxWeight', a.maxWeight, d.allocation.maxWeight),
      varBudget: fraction('allocation.varBudget', a.varBudget, d.allocation.varBudget),
      varConfidence: num(
        'allocation.varConfidence',
        a.varConfidence,
        d.allocation.varConfidence,
        (x) => x > 0 && x < 1,
        'a number in (0, 1)',
      ),
      drawdownBudget: fraction('allocation.drawdownBudget', a.drawdownBudget, d.allocation.drawdownBudget),
      kelly,
    },
  };
}

/** Reads a YAML or JSON settings file. */
export function loadSelectorSettings(path: string): SelectorSettings {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8')) as unknown;
  } catch (e) {
    throw new AppError('ERR_RESEARCH_INPUT', `--select ${path}: ${(e as Error).message}`);
  }
  return parseSelectorSettings(raw);
}
