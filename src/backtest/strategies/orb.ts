/**
 * `orb`: opening-range breakout for intraday bars.
 * - A session is a calendar day in `timezone` (default America/New_York); its opening range is the
 *   high and low of the bars starting within the first `rangeMinutes` (default 30) of the session's
 *   first bar.
 * - When the range is complete (at the close of its last bar), two entry stops go in as one OCO
 *   group: buy `qty` at the range high and sell `qty` at the range low. Each carries a bracket:
 *   stop loss at the other side of the range, target `targetMultiple` × range height beyond the
 *   entry level (default 1; 0 = no target). The first entry to trigger cancels the other, so
 *   there is at most one trade per session.
 * - At `flatAt` (local HH:MM, default none) and at the first bar of the next session, working
 *   orders are cancelled and a position still open is closed with a market order (next open).
 * The range is complete at the close of its last bar (the next bar would start past the window;
 * the bar spacing is the smallest gap seen so far), or, while the spacing is still unknown (first
 * bar of the data), at the close of the first bar after the window.
 */
import { DateTime } from 'luxon';
import { AppError } from '../../errors.ts';
import { parseFixed, mul, type Fixed } from '../../domain/money.ts';
import type { StrategyDefinition } from '../types.ts';
import { intParam } from './params.ts';

function localClock(ts: number, zone: string): { day: string; minutes: number } {
  const d = DateTime.fromMillis(ts, { zone });
  return { day: d.toISODate() ?? '', minutes: d.hour * 60 + d.minute };
}

export const orb: StrategyDefinition = {
  name: 'orb',
  description:
    'Opening-range breakout: OCO entry stops at the range high/low with bracket exits; one trade per session.',
  params: {
    rangeMinutes: { default: '30', description: 'length of the opening range in minutes' },
    timezone: { default: 'America/New_York', description: 'IANA zone whose calendar days are the sessions' },
    qty: { default: '1', description: 'position size' },
    targetMultiple: { default: '1', description: 'profit target as a multiple of the range height (0 = none)' },
    flatAt: { default: '', description: 'local HH:MM at which to cancel and flatten (empty = at the next session)' },
  },
  create(params) {
    const rangeMs = intParam(params, 'rangeMinutes') * 60_000;
    const zone = params.timezone ?? 'America/New_York';
    if (!DateTime.local().setZone(zone).isValid)
      throw new AppError('ERR_BACKTEST_INPUT', `--param timezone: unknown zone ${zone}`);
    const qty = intParam(params, 'qty');
    let target: Fixed;
    try {
      target = parseFixed(params.targetMultiple ?? '1');
    } catch {
      throw new AppError('ERR_BACKTEST_INPUT', `--param targetMultiple: not a decimal: ${params.targetMultiple}`);
    }
    const flatAtRaw = params.flatAt ?? '';
    const m = /^(\d{1,2}):(\d{2})$/.exec(flatAtRaw);
    if (flatAtRaw !== '' && !m)
      throw new AppError('ERR_BACKTEST_INPUT', `--param flatAt: expected HH:MM, got ${flatAtRaw}`);
    const flatAt = m ? Number(m[1]) * 60 + Number(m[2]) : undefined;

    let day = '';
    let sessionStart = 0;
    let high = 0n;
    let low = 0n;
    let rangeDone = false;
    let flattened = false;
    let spacing = Number.POSITIVE_INFINITY;
    let prevTs: number | undefined;
    return {
      onBar(bar, ctx) {
        if (prevTs !== undefined && bar.ts - prevTs < spacing) spacing = bar.ts - prevTs;
        prevTs = bar.ts;
        const clock = localClock(bar.ts, zone);
        let windowPassed = false;
        if (clock.day !== day) {
          ctx.cancelAll();
          ctx.closePosition();
          day = clock.day;
          sessionStart = bar.ts;
          high = bar.high;
          low = bar.low;
          rangeDone = false;
          flattened = false;
        } else if (!rangeDone) {
          if (bar.ts < sessionStart + rangeMs) {
            if (bar.high > high) high = bar.high;
            if (bar.low < low) low = bar.low;
          } else windowPassed = true; // first bar after the window: the range ended before it
        }
        const lastOfWindow = Number.isFinite(spacing) && bar.ts + spacing >= sessionStart + rangeMs;
        if (!rangeDone && (windowPassed || lastOfWindow)) {
          rangeDone = true;
          const height = high - low;
          if (height > 0n && ctx.position === 0n) {
            const t = mul(height, target);
            const group = `orb-${day}`;
            ctx.submit({
              side: 'buy',
              type: 'stop',
              stopPrice: high,
              qty,
              ocoGroup: group,
              bracket: { stopLoss: low, ...(t > 0n ? { takeProfit: high + t } : {}) },
            });
            ctx.submit({
              side: 'sell',
              type: 'stop',
              stopPrice: low,
              qty,
              ocoGroup: group,
              bracket: { stopLoss: high, ...(t > 0n ? { takeProfit: low - t } : {}) },
            });
          }
        }
        if (flatAt !== undefined && !flattened && clock.minutes >= flatAt) {
          flattened = true;
          ctx.cancelAll();
          ctx.closePosition();
        }
      },
    };
  },
};
