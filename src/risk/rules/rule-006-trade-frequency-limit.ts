/**
 * RULE-006 trade_frequency_limit (DESIGN §3): orders that received a fill, counted once each at
 * their first fill, in rolling windows (t − window, t]: per minute (60 s), per hour, per session
 * (since the last reset). The fill that takes a count over its limit breaches → cooldown of that
 * window's length (`cooldowns`), `reset` = until the next reset. When several windows are over at
 * once, the longest cooldown wins. The cooldown is account-wide, so the breach names no symbol.
 */
import { z } from 'zod';
import { fromInt } from '../../domain/money.ts';
import { defineRule, type Breach, NONE } from '../rule.ts';
import { distance } from '../measures.ts';
import { isoOf } from '../../domain/events.ts';
import { parseDuration } from '../config-types.ts';
import { activityOf, activityState, filledOrdersSince, filledOrdersToday, lastFilledOrder } from '../activity.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

const cooldown = z
  .string()
  .superRefine((v, ctx) => {
    if (v === 'reset') return;
    try {
      parseDuration(v);
    } catch {
      ctx.addIssue({
        code: 'custom',
        message: `not a duration or "reset": ${JSON.stringify(v)} (use e.g. "60s", "30m", reset)`,
      });
    }
  })
  .transform((v): number | 'reset' => (v === 'reset' ? 'reset' : parseDuration(v)));

const limit = z.number().int().min(0);

export const schema = z
  .object({
    perMinute: limit.optional(),
    perHour: limit.optional(),
    perSession: limit.optional(),
    cooldowns: z
      .object({
        minute: cooldown.default(60_000),
        hour: cooldown.default(1_800_000),
        session: cooldown.default('reset'),
      })
      .strict()
      .default({ minute: 60_000, hour: 1_800_000, session: 'reset' }),
  })
  .strict();
type Config = z.output<typeof schema>;

type Window = 'minute' | 'hour' | 'session';
const WINDOWS: readonly Window[] = ['minute', 'hour', 'session'];

type Counted = { now: number; account: Parameters<typeof filledOrdersToday>[0] };

function limitOf(cfg: Config, window: Window): number | undefined {
  return window === 'minute' ? cfg.perMinute : window === 'hour' ? cfg.perHour : cfg.perSession;
}

/** Filled orders in the window ending now (the session: since the last reset). */
function countOf(ctx: Counted, window: Window): number {
  return window === 'session'
    ? filledOrdersToday(ctx.account)
    : filledOrdersSince(ctx.account, ctx.now, window === 'minute' ? MINUTE_MS : HOUR_MS);
}

export const rule006 = defineRule({
  id: 'RULE-006',
  name: 'trade_frequency_limit',
  description: 'Too many filled orders per minute, hour or session start a cooldown.',
  schema,
  scope: 'account',
  state: activityState,
  triggers: ['fill'],
  evaluate(ctx, cfg): Breach[] {
    if (ctx.trigger !== 'fill' || !ctx.fill) return NONE;
    // Only the first fill of an order adds to the counts; a later partial fill never breaches.
    const first = lastFilledOrder(activityOf(ctx.account));
    if (!first || first.orderId !== ctx.fill.orderId || first.t !== ctx.now) return NONE;
    let until: number | undefined;
    let over: string[] | undefined;
    for (const window of WINDOWS) {
      const limit = limitOf(cfg, window);
      if (limit === undefined) continue;
      const count = countOf(ctx, window);
      if (count <= limit) continue;
      const cd = cfg.cooldowns[window];
      const end = cd === 'reset' ? ctx.nextReset : ctx.now + cd;
      if (until === undefined || end > until) until = end;
      (over ??= []).push(`${count} filled orders per ${window} > ${limit}`);
    }
    if (until === undefined || over === undefined) return NONE;
    return [
      {
        rule: 'RULE-006',
        action: 'cooldown',
        reason: `${over.join(', ')}: cooling down until ${isoOf(until)}`,
        outcomes: [{ kind: 'cooldown', until }],
      },
    ];
  },
  distanceToLimit(ctx, cfg) {
    // The window closest to its limit is the one that matters for "room left".
    const all: ReturnType<typeof distance>[] = [];
    for (const window of WINDOWS) {
      const limit = limitOf(cfg, window);
      if (limit !== undefined) all.push(distance('RULE-006', fromInt(countOf(ctx, window)), fromInt(limit)));
    }
    return all.length ? [all.reduce((a, b) => (b.usedPct > a.usedPct ? b : a))] : [];
  },
});
