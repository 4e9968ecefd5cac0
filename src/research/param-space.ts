/**
 * The parameter space of a sweep (`--param k=a..b:step`, repeatable): each parameter's values on
 * its grid, computed exactly (decimal steps such as 0.1 never drift), as the decimal strings a
 * strategy reads. The grid is the cartesian product with the first `--param` outermost; a random
 * sweep draws N distinct grid points with a seeded generator, so a seed always gives the same sets.
 */
import { AppError } from '../errors.ts';
import { formatFixed, parseFixed, type Fixed } from '../domain/money.ts';

export interface ParamAxis {
  readonly key: string;
  readonly values: readonly string[];
}

export type ParamSet = Readonly<Record<string, string>>;

/** Most parameter sets one sweep may hold (a guard against a typo like `..100000:0.001`). */
export const MAX_SETS = 1_000_000;

function bad(flag: string, why: string): AppError {
  return new AppError('ERR_RESEARCH_INPUT', `${flag}: ${why}`);
}

function decimal(flag: string, text: string, what: string): Fixed {
  try {
    return parseFixed(text.trim());
  } catch {
    throw bad(flag, `${what} is not a decimal: ${JSON.stringify(text)}`);
  }
}

/** One `--param` value: `k=a..b:step`, `k=a..b` (step 1), `k=v1,v2,…` or `k=v`. */
export function parseParamAxis(text: string): ParamAxis {
  const flag = `--param ${text}`;
  const eq = text.indexOf('=');
  if (eq <= 0) throw bad(flag, 'expected key=a..b:step (or key=value)');
  const key = text.slice(0, eq).trim();
  const spec = text.slice(eq + 1).trim();
  const range = /^([^.:]+(?:\.[^.:]+)?)\.\.([^:]+)(?::(.+))?$/.exec(spec);
  if (!range) {
    const values = spec.split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) throw bad(flag, 'empty value');
    return { key, values };
  }
  const from = decimal(flag, range[1] as string, 'start');
  const to = decimal(flag, range[2] as string, 'end');
  const step = range[3] === undefined ? parseFixed('1') : decimal(flag, range[3], 'step');
  if (step <= 0n) throw bad(flag, 'step must be positive');
  if (to < from) throw bad(flag, `empty range: end ${formatFixed(to)} is below start ${formatFixed(from)}`);
  const count = (to - from) / step + 1n;
  if (count > BigInt(MAX_SETS)) throw bad(flag, `${count} values, more than ${MAX_SETS}`);
  const values: string[] = [];
  for (let v = from; v <= to; v += step) values.push(formatFixed(v));
  return { key, values };
}

/** All `--param` values; a key given twice is an error naming it. */
export function parseParamAxes(texts: readonly string[]): ParamAxis[] {
  if (texts.length === 0) throw bad('--param', 'at least one --param key=a..b:step is needed');
  const axes = texts.map(parseParamAxis);
  const seen = new Set<string>();
  for (const a of axes) {
    if (seen.has(a.key)) throw bad(`--param ${a.key}`, 'given twice');
    seen.add(a.key);
  }
  if (gridSize(axes) > MAX_SETS) throw bad('--param', `${gridSize(axes)} parameter sets, more than ${MAX_SETS}`);
  return axes;
}

export function gridSize(axes: readonly ParamAxis[]): number {
  return axes.reduce((n, a) => n * a.values.length, 1);
}

/** The grid point at `index` (mixed radix, the first axis outermost). */
export function gridPoint(axes: readonly ParamAxis[], index: number): ParamSet {
  const out: Record<string, string> = {};
  let rest = index;
  for (let k = axes.length - 1; k >= 0; k--) {
    const a = axes[k] as ParamAxis;
    out[a.key] = a.values[rest % a.values.length] as string;
    rest = Math.floor(rest / a.values.length);
  }
  // Keys in --param order, whatever order the radix walk filled them in.
  return Object.fromEntries(axes.map((a) => [a.key, out[a.key] as string]));
}

/** Every grid point, first axis outermost. */
export function gridSets(axes: readonly ParamAxis[]): ParamSet[] {
  const n = gridSize(axes);
  const out: ParamSet[] = [];
  for (let i = 0; i < n; i++) out.push(gridPoint(axes, i));
  return out;
}

/** mulberry32: a small, well-mixed 32-bit generator; the seed fixes the whole sequence. */
function generator(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * `count` distinct grid points drawn with `seed` (Floyd's sampling: exactly `count` draws, no
 * retries), in the order drawn. Fewer grid points than `count` is an error naming `--random`.
 */
export function randomSets(axes: readonly ParamAxis[], count: number, seed: number): ParamSet[] {
  const size = gridSize(axes);
  if (!Number.isInteger(count) || count < 1) throw bad('--random', `expected a whole number ≥ 1, got ${count}`);
  if (count > size) throw bad('--random', `${count} sets asked, the ranges hold only ${size} (run the grid instead)`);
  const next = generator(seed);
  // 53 random bits from two draws: uniform over grids far larger than 2^32.
  const below = (m: number) => Math.floor((((next() >>> 11) * 2 ** 32 + next()) / 2 ** 53) * m);
  const chosen = new Set<number>();
  for (let j = size - count; j < size; j++) {
    const t = below(j + 1);
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].map((i) => gridPoint(axes, i));
}

export function parseSeed(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0 || n > 0xffffffff)
    throw bad('--seed', `expected a whole number 0..4294967295, got ${JSON.stringify(text)}`);
  return n;
}
