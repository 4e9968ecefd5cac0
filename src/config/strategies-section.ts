/**
 * `strategies` (docs/research.md "Live selection"): the node's strategy host runs these candidate
 * strategies on bars of one symbol's marks and re-selects them on a schedule, trading the active
 * set on `account`. Durations stay as written (the stored config is re-read as YAML/JSON). The
 * host places real orders, so the section is refused unless the broker is the paper broker.
 */
import { Cron } from 'croner';
import { z } from 'zod';
import { parseDuration } from '../risk/config-types.ts';
import { isAppError } from '../errors.ts';
import { parseSelectorSettings } from '../research/selector-settings.ts';

/** A duration string of at least `minMs`. */
const durationText = (minMs: number, min: string) =>
  z.string().superRefine((v, ctx) => {
    let ms: number;
    try {
      ms = parseDuration(v);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
      return;
    }
    if (ms < minMs) ctx.addIssue({ code: 'custom', message: `at least "${min}" (got ${JSON.stringify(v)})` });
  });

/** `name[:key=value]…`: a built-in strategy name or a module path, then its parameters. */
const candidate = z
  .string()
  .regex(/^[^:,\s]+(:[^:,=\s]+=[^:,\s]*)*$/, 'expected name[:key=value]… (e.g. "sma-cross:period=20")');

export const strategiesSection = z
  .object({
    account: z.string().min(1),
    symbol: z.string().min(1),
    barInterval: durationText(1000, '1s').default('1m'),
    /** Selection schedule: the first bar close of each period (UTC epoch-aligned). */
    every: durationText(1000, '1s').default('15m'),
    /** A cron pattern (UTC, croner syntax, seconds optional): selections at the first bar close after each fire time; replaces `every`. */
    schedule: z
      .string()
      .superRefine((v, ctx) => {
        try {
          new Cron(v, { timezone: 'UTC', paused: true });
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: `not a cron pattern: ${(err as Error).message}` });
        }
      })
      .optional(),
    candidates: z
      .array(candidate)
      .min(1)
      .refine((c) => new Set(c).size === c.length, 'a candidate is given twice'),
    /** Selector settings as in `riskgate research select --select` (absent keys: the defaults). */
    select: z
      .record(z.string(), z.unknown())
      .superRefine((v, ctx) => {
        try {
          parseSelectorSettings(v);
        } catch (err) {
          if (!isAppError(err)) throw err;
          ctx.addIssue({ code: 'custom', message: err.message });
        }
      })
      .default({}),
    /** Each candidate's virtual capital; default: the account's paper balance. */
    capital: z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'a positive decimal string')
      .optional(),
  })
  .strict();

export type StrategiesSection = z.output<typeof strategiesSection>;

/** The broker kind a `strategies` section may run on. */
export const STRATEGY_HOST_BROKER = 'paper';
