/**
 * Drawdown statistics of an equity curve (account value per bar).
 *
 * Drawdown at t = peak-to-date − equity_t (absolute) and that divided by the peak (fraction).
 * A drawdown episode starts at a new peak that is later undercut and ends when equity first
 * gets back to (≥) that peak. Duration is counted in bars from the peak to the recovery bar,
 * or to the last bar if not recovered (then `recovered` is false).
 */
import { AppError } from '../errors.ts';

export interface DrawdownEpisode {
  peakIndex: number;
  troughIndex: number;
  /** Index where equity regained the peak; null while still under water. */
  recoveryIndex: number | null;
  depth: number;
  depthFraction: number;
  durationBars: number;
}

export interface DrawdownStats {
  maxDrawdown: number;
  maxDrawdownFraction: number;
  /** The episode with the largest absolute drawdown (null when equity never fell). */
  maxDrawdownEpisode: DrawdownEpisode | null;
  longestDurationBars: number;
  currentDrawdown: number;
  currentDrawdownFraction: number;
  episodes: DrawdownEpisode[];
}

export function drawdownStats(equity: readonly number[]): DrawdownStats {
  if (equity.length === 0) throw new AppError('ERR_ANALYTICS_INPUT', 'equity curve is empty');
  equity.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new AppError('ERR_ANALYTICS_INPUT', `equity[${i}] is not a finite number`);
  });
  const episodes: DrawdownEpisode[] = [];
  let peak = equity[0]!;
  let peakIndex = 0;
  let open: DrawdownEpisode | null = null;
  for (let i = 1; i < equity.length; i++) {
    const v = equity[i]!;
    if (v >= peak) {
      if (open) {
        open.recoveryIndex = i;
        open.durationBars = i - open.peakIndex;
        episodes.push(open);
        open = null;
      }
      peak = v;
      peakIndex = i;
      continue;
    }
    const depth = peak - v;
    if (!open)
      open = {
        peakIndex,
        troughIndex: i,
        recoveryIndex: null,
        depth,
        depthFraction: peak !== 0 ? depth / Math.abs(peak) : 0,
        durationBars: 0,
      };
    if (depth > open.depth) {
      open.depth = depth;
      open.depthFraction = peak !== 0 ? depth / Math.abs(peak) : 0;
      open.troughIndex = i;
    }
  }
  const last = equity.length - 1;
  if (open) {
    open.durationBars = last - open.peakIndex;
    episodes.push(open);
  }
  let worst: DrawdownEpisode | null = null;
  let maxFraction = 0;
  let longest = 0;
  for (const e of episodes) {
    if (!worst || e.depth > worst.depth) worst = e;
    maxFraction = Math.max(maxFraction, e.depthFraction);
    longest = Math.max(longest, e.durationBars);
  }
  const currentDrawdown = peak - equity[last]!;
  return {
    maxDrawdown: worst ? worst.depth : 0,
    maxDrawdownFraction: maxFraction,
    maxDrawdownEpisode: worst,
    longestDurationBars: longest,
    currentDrawdown,
    currentDrawdownFraction: peak !== 0 ? currentDrawdown / Math.abs(peak) : 0,
    episodes,
  };
}
