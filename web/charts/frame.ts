/** The container set-up every chart shares: sized, positioned for the legend, themed options. */
import { createChart, type IChartApi } from 'lightweight-charts';
import { chartOptions, theme, type Theme, type ThemeName } from './theme.ts';

export interface FrameOptions {
  readonly theme?: ThemeName;
  /** Height in CSS pixels (default 320); the width follows the container. */
  readonly height?: number;
  /** Show times of day on the time axis (intraday data). Default: whether the points are intraday. */
  readonly intraday?: boolean;
}

export interface ChartHandle {
  readonly chart: IChartApi;
  /** Removes the chart and its legend from the container. */
  destroy(): void;
}

export function openChart(
  el: HTMLElement,
  o: FrameOptions,
  times: readonly number[],
): { chart: IChartApi; theme: Theme; destroy: () => void } {
  const t = theme(o.theme);
  const height = o.height ?? 320;
  el.style.position = el.style.position || 'relative';
  el.style.height = `${height}px`;
  const chart = createChart(el, { ...chartOptions(t, height, o.intraday ?? isIntraday(times)), autoSize: true });
  return {
    chart,
    theme: t,
    destroy: () => {
      chart.remove();
      el.querySelectorAll('.rg-legend').forEach((n) => n.remove());
    },
  };
}

/** Whether any two consecutive points are less than a day apart. */
export function isIntraday(times: readonly number[]): boolean {
  for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! < 86_400) return true;
  return false;
}
