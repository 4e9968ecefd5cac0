/**
 * Schema building blocks shared by rule configs (DESIGN §7): money as decimal strings or integers
 * (a fractional YAML number is rejected with a hint to quote it), durations as "10s"/"5m"/"1h".
 */
import { z } from 'zod';
import { parseFixed, fromInt, type Fixed } from '../domain/money.ts';

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** Money limit: "500", "500.25" or 500 → Fixed. */
export const money = z
  .union([z.string(), z.number()])
  .superRefine((v, ctx) => {
    if (typeof v === 'number') {
      if (!Number.isInteger(v)) {
        ctx.addIssue({
          code: 'custom',
          message: `fractional number ${v} is inexact as a float: quote it as a decimal string ("${v}")`,
        });
      } else if (!Number.isSafeInteger(v))
        ctx.addIssue({ code: 'custom', message: 'integer too large: quote it as a decimal string' });
    } else if (!DECIMAL.test(v))
      ctx.addIssue({ code: 'custom', message: `not a decimal amount: ${JSON.stringify(v)}` });
  })
  .transform((v): Fixed => (typeof v === 'number' ? fromInt(v) : parseFixed(v)));

export const nonNegativeMoney = money.refine((v) => v >= 0n, { message: 'must not be negative' });
export const positiveMoney = money.refine((v) => v > 0n, { message: 'must be positive' });

/** Contract counts: integers, or decimal strings for fractional (crypto) quantities. */
export const quantityLimit = money.refine((v) => v >= 0n, { message: 'must not be negative' });

const DURATION_RE = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseDuration(text: string): number {
  const m = DURATION_RE.exec(text);
  if (!m) throw new RangeError(`not a duration: ${JSON.stringify(text)} (use e.g. "10s", "5m", "1h")`);
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** Duration string → milliseconds. */
export const duration = z
  .string()
  .superRefine((v, ctx) => {
    if (!DURATION_RE.test(v))
      ctx.addIssue({ code: 'custom', message: `not a duration: ${JSON.stringify(v)} (use e.g. "10s", "5m", "1h")` });
  })
  .transform((v) => parseDuration(v));

export const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a HH:MM time such as "17:00"');
