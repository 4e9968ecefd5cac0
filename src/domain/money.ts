/**
 * Exact fixed-point decimals on `bigint` (DESIGN §1 invariant 5): money, prices and quantities
 * never touch a JS `number`. A `Fixed` is the value × 10^18; 18 decimals hold every product of a
 * price, a (crypto) quantity and a point value that a trading account meets, so P&L arithmetic is
 * exact. Division is the one operation that can be inexact; it takes an explicit rounding mode.
 */
export type Fixed = bigint;

export const SCALE_DIGITS = 18;
export const SCALE = 10n ** 18n;
export const ZERO: Fixed = 0n;
export const ONE: Fixed = SCALE;

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?$/;
const DECIMAL_LOOSE_RE = /^([+-])?(\d*)(?:\.(\d*))?$/;

export class MoneyFormatError extends Error {
  constructor(readonly input: string) {
    super(`not an exact decimal: ${JSON.stringify(input)}`);
    this.name = 'MoneyFormatError';
  }
}

const FAST_RE = /^-?\d+(?:\.\d{1,18})?$/;
const PAD = Array.from({ length: SCALE_DIGITS + 1 }, (_, i) => '0'.repeat(i));

/** 10^0 … 10^18 */
const POW10: readonly bigint[] = Array.from({ length: SCALE_DIGITS + 1 }, (_, i) => 10n ** BigInt(i));

/**
 * Prices and quantities as events carry them ("18000.25", "2", "-12.5": at most 15 digits, so the
 * digits read as a double are exact): the digits of `text` (or of text[from, to)) as a signed whole
 * number (the mantissa), or NaN for anything else (the general paths of `parseFixed` decide). The
 * value is `fixedFromMantissa(m, decimalPlaces(text))`; the event reader's worker reads it so.
 */
export function shortDecimalMantissa(text: string, from = 0, to = text.length): number {
  if (to <= from || to - from > 17) return NaN;
  let i = text.charCodeAt(from) === 45 ? from + 1 : from;
  const neg = i > from;
  let m = 0;
  let digits = 0;
  let dotSeen = false;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
    } else if (c === 46 && !dotSeen && digits > 0 && i < to - 1) dotSeen = true;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  return neg ? -m : m;
}

/** Digits after the decimal point of a decimal string, or of text[from, to) (0 without one). */
export function decimalPlaces(text: string, from = 0, to = text.length): number {
  const dot = text.indexOf('.', from);
  return dot < 0 || dot >= to ? 0 : to - dot - 1;
}

/** mantissa × 10^−decimals as Fixed (mantissa a safe integer, decimals 0…18). */
export function fixedFromMantissa(m: number, decimals: number): Fixed {
  return BigInt(m) * POW10[SCALE_DIGITS - decimals]!;
}

function parseShortDecimal(text: string): Fixed | undefined {
  const m = shortDecimalMantissa(text);
  return m === m ? fixedFromMantissa(m, decimalPlaces(text)) : undefined;
}

/** Parses a decimal string ("18000.25", "-3", ".5") exactly. Throws on anything else. */
export function parseFixed(text: string): Fixed {
  const short = parseShortDecimal(text);
  if (short !== undefined) return short;
  // Fast path (the common form on the hot path): one BigInt construction, no multiply.
  if (FAST_RE.test(text)) {
    const dot = text.indexOf('.');
    if (dot < 0) return BigInt(text) * SCALE;
    const fracLen = text.length - dot - 1;
    return BigInt(text.slice(0, dot) + text.slice(dot + 1) + PAD[SCALE_DIGITS - fracLen]!);
  }
  const m = DECIMAL_RE.exec(text) ?? DECIMAL_LOOSE_RE.exec(text);
  if (!m || (m[2] === '' && (m[3] === undefined || m[3] === ''))) throw new MoneyFormatError(text);
  const intPart = m[2] || '0';
  const frac = m[3] ?? '';
  if (frac.length > SCALE_DIGITS) {
    // Beyond 18 decimals only zeros are allowed: otherwise parsing would round.
    if (/[^0]/.test(frac.slice(SCALE_DIGITS))) throw new MoneyFormatError(text);
  }
  const fracPadded = (frac + '0'.repeat(SCALE_DIGITS)).slice(0, SCALE_DIGITS);
  const v = BigInt(intPart) * SCALE + BigInt(fracPadded);
  return m[1] === '-' ? -v : v;
}

/** Whole number → Fixed. Only for safe integers (counts, quantities from JSON integers). */
export function fromInt(n: number | bigint): Fixed {
  if (typeof n === 'number') {
    if (!Number.isSafeInteger(n)) throw new MoneyFormatError(String(n));
    return BigInt(n) * SCALE;
  }
  return n * SCALE;
}

/** Exact decimal string, shortest form: "-954.28", "805", "0". */
export function formatFixed(v: Fixed): string {
  // One BigInt→string conversion; its last 18 digits are the fraction (decision reasons and
  // outcomes format a few values per decision, so no divisions here).
  const neg = v < 0n;
  const digits = (neg ? -v : v).toString();
  const fracStart = digits.length - SCALE_DIGITS;
  let end = digits.length;
  const stop = fracStart > 0 ? fracStart : 0;
  while (end > stop && digits.charCodeAt(end - 1) === 48) end--; // the fraction's trailing zeros
  let body: string;
  if (fracStart > 0)
    body =
      end > fracStart ? `${digits.slice(0, fracStart)}.${digits.slice(fracStart, end)}` : digits.slice(0, fracStart);
  else body = end > 0 ? `0.${PAD[-fracStart]!}${digits.slice(0, end)}` : '0';
  return neg ? `-${body}` : body;
}

/** Decimal string with at most `digits` decimals, half-even (for display, e.g. avgPrice). */
export function formatRounded(v: Fixed, digits: number): string {
  return formatFixed(roundTo(v, digits));
}

export type Rounding = 'half-even' | 'half-up' | 'down' | 'floor' | 'ceil';

/** Integer division n / d with explicit rounding. */
export function divRound(n: bigint, d: bigint, mode: Rounding): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  let q = n / d; // truncates toward zero
  const r = n % d; // = n − q·d (truncated remainder), one BigInt operation instead of two
  if (r === 0n) return q;
  const neg = n < 0n;
  switch (mode) {
    case 'down':
      return q;
    case 'floor':
      return neg ? q - 1n : q;
    case 'ceil':
      return neg ? q : q + 1n;
    case 'half-up':
    case 'half-even': {
      const twice = 2n * (r < 0n ? -r : r);
      if (twice > d || (twice === d && (mode === 'half-up' || q % 2n !== 0n))) q += neg ? -1n : 1n;
      return q;
    }
  }
}

/** Rounds to `digits` decimals. */
export function roundTo(v: Fixed, digits: number, mode: Rounding = 'half-even'): Fixed {
  if (digits >= SCALE_DIGITS) return v;
  const unit = 10n ** BigInt(SCALE_DIGITS - digits);
  return divRound(v, unit, mode) * unit;
}

/** a × b. Exact whenever the true product has at most 18 decimals; else rounded half-even. */
export function mul(a: Fixed, b: Fixed): Fixed {
  return divRound(a * b, SCALE, 'half-even');
}

/** a / b with explicit rounding at 18 decimals. */
export function div(a: Fixed, b: Fixed, mode: Rounding = 'half-even'): Fixed {
  return divRound(a * SCALE, b, mode);
}

export function abs(a: Fixed): Fixed {
  return a < 0n ? -a : a;
}

export function min(a: Fixed, b: Fixed): Fixed {
  return a < b ? a : b;
}

export function max(a: Fixed, b: Fixed): Fixed {
  return a > b ? a : b;
}

export function sign(a: Fixed): -1 | 0 | 1 {
  return a < 0n ? -1 : a > 0n ? 1 : 0;
}

/** True when `v` is a whole number. */
export function isWhole(v: Fixed): boolean {
  return v % SCALE === 0n;
}

/** Whole Fixed → JS number (quantities for JSON output). Throws if not whole or not safe. */
export function toSafeInteger(v: Fixed): number {
  if (!isWhole(v)) throw new RangeError(`not a whole number: ${formatFixed(v)}`);
  const n = Number(v / SCALE);
  if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${formatFixed(v)}`);
  return n;
}

/** Lossy conversion for analytics/display only (never for money arithmetic). */
export function toNumber(v: Fixed): number {
  return Number(formatFixed(v));
}
