/** Drawdown (percent below the running peak of equity) as a filled area, with a legend. */
import { AreaSeries, type UTCTimestamp } from 'lightweight-charts';
import { drawdownPercent, plotPoints, type PointInput } from './data.ts';
import { openChart, type ChartHandle, type FrameOptions } from './frame.ts';
import { attachLegend } from './legend.ts';

export interface DrawdownChartData extends FrameOptions {
  /** Equity points; the drawdown is computed from them. */
  readonly points: readonly PointInput[];
}

export function renderDrawdownChart(el: HTMLElement, d: DrawdownChartData): ChartHandle {
  const dd = drawdownPercent(plotPoints(d.points));
  const frame = openChart(
    el,
    { ...d, height: d.height ?? 160 },
    dd.map((p) => p.time),
  );
  const { chart, theme: t } = frame;
  const area = chart.addSeries(AreaSeries, {
    lineColor: t.drawdown,
    topColor: t.drawdownFill,
    bottomColor: t.drawdownFill,
    lineWidth: 1,
    priceLineVisible: false,
    invertFilledArea: true,
    priceFormat: { type: 'custom', formatter: (v: number) => `${v.toFixed(1)}%`, minMove: 0.01 },
  });
  area.setData(dd.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
  const format = (v: number) => `${v.toFixed(2)}%`;
  attachLegend(el, chart, t, [
    { name: 'drawdown', colour: t.drawdown, series: area, last: () => dd.at(-1)?.value, format },
  ]);
  chart.timeScale().fitContent();
  return { chart, destroy: frame.destroy };
}
