/**
 * RULE-009 session_block_outside (DESIGN §3, §7): trading only inside the allowed sessions.
 * - An opening order outside every session (weekends, CME holidays included) is rejected.
 * - A fill that opens or increases a position outside every session breaches → cancel, close all,
 *   lock until the next session opens (`until` = that instant). Closing fills never breach: they
 *   are what the rule asks for.
 * - A position still open when a session ends breaches at the session end (a timer armed at the
 *   end of the current or next session whenever a position is open after a fill, a reset or a
 *   session end).
 * Times are local to `timezone` (default: the top-level trading-day zone); see session-schedule.ts
 * for midnight-crossing windows, `days` and holidays.
 */
import { z } from 'zod';
import { ZERO } from '../../domain/money.ts';
import { isoOf } from '../../domain/events.ts';
import { isValidZone } from '../../domain/calendar.ts';
import { clockTime } from '../config-types.ts';
import { defineRule, type Breach, type RuleContext, type TimerRequest, NONE } from '../rule.ts';
import type { Lock } from '../account.ts';
import { hasOpenPosition } from '../measures.ts';
import { inSession, nextOpen, sessionEnd, WEEKDAYS, type Schedule } from './session-schedule.ts';

const TRADING_DAYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

export const schema = z
  .object({
    timezone: z.string().refine(isValidZone, { message: 'unknown IANA time zone (e.g. "America/Chicago")' }).optional(),
    sessions: z
      .array(
        z
          .object({
            start: clockTime,
            end: clockTime,
            days: z
              .array(z.enum(WEEKDAYS))
              .min(1)
              .default([...TRADING_DAYS]),
          })
          .strict(),
      )
      .min(1),
    holidays: z.enum(['cme', 'none']).default('cme'),
  })
  .strict();
type Config = z.output<typeof schema>;

const schedules = new WeakMap<Config, Map<string, Schedule>>();

function scheduleOf(ctx: RuleContext, cfg: Config): Schedule {
  const zone = cfg.timezone ?? ctx.timezone ?? 'America/Chicago';
  let byZone = schedules.get(cfg);
  if (!byZone) {
    byZone = new Map();
    schedules.set(cfg, byZone);
  }
  let s = byZone.get(zone);
  if (!s) {
    s = { zone, sessions: cfg.sessions, holidays: cfg.holidays };
    byZone.set(zone, s);
  }
  return s;
}

function untilOpen(s: Schedule, t: number): Lock['until'] {
  return nextOpen(s, t) ?? 'admin';
}

function breach(until: Lock['until'], reason: string): Breach {
  return {
    rule: 'RULE-009',
    action: 'close_all',
    reason,
    outcomes: [{ kind: 'cancel_orders' }, { kind: 'close_all' }, { kind: 'lockout', until }],
  };
}

function label(until: Lock['until']): string {
  return typeof until === 'number' ? isoOf(until) : until;
}

export const rule009 = defineRule({
  id: 'RULE-009',
  name: 'session_block_outside',
  description:
    'Trading outside the allowed sessions (and on weekends and holidays) is blocked; positions are closed at the session end.',
  schema,
  scope: 'account',
  triggers: ['fill', 'reset', 'timer'],
  evaluate(ctx, cfg): Breach[] {
    const s = scheduleOf(ctx, cfg);
    if (ctx.trigger === 'fill' && ctx.fill && ctx.fill.openedQty !== ZERO && !inSession(s, ctx.now)) {
      const until = untilOpen(s, ctx.now);
      return [breach(until, `${ctx.fill.symbol} traded outside the allowed sessions; locked until ${label(until)}`)];
    }
    if (
      ctx.trigger === 'timer' &&
      ctx.timer?.rule === 'RULE-009' &&
      hasOpenPosition(ctx.account) &&
      !inSession(s, ctx.now)
    ) {
      const until = untilOpen(s, ctx.now);
      return [breach(until, `session ended with a position open; locked until ${label(until)}`)];
    }
    return NONE;
  },
  timers(ctx, cfg): TimerRequest[] {
    const due =
      ctx.trigger === 'fill' || ctx.trigger === 'reset' || (ctx.trigger === 'timer' && ctx.timer?.rule === 'RULE-009');
    if (!due || !hasOpenPosition(ctx.account)) return NONE;
    // Watch the end of the current session, or, outside one (a session just ended, an after-hours
    // fill, a reset between sessions), the end of the next one: a position still open then breaches.
    const s = scheduleOf(ctx, cfg);
    const from = inSession(s, ctx.now) ? ctx.now : nextOpen(s, ctx.now);
    const end = from === undefined ? undefined : sessionEnd(s, from);
    return end === undefined ? [] : [{ rule: 'RULE-009', key: 'session-end', deadline: end }];
  },
  preTrade(ctx, cfg) {
    const s = scheduleOf(ctx, cfg);
    if (inSession(s, ctx.now)) return undefined;
    return {
      rule: 'RULE-009',
      code: 'OUTSIDE_SESSION',
      reason: `outside the allowed sessions; next open ${label(untilOpen(s, ctx.now))}`,
    };
  },
});
