/** Drawdown (percent below the running peak of equity) as a filled area under zero, with a legend. */
import { BaselineSeries, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { drawdownPercent, plotPoints, type PlotPoint, type PointInput } from './data.ts';
import { openChart, type ChartHandle, type FrameOptions } from './frame.ts';
import { attachLegend, type LegendEntry } from './legend.ts';
import type { Theme } from './theme.ts';

export interface DrawdownChartData extends FrameOptions {
  /** Equity points; the drawdown is computed from them. */
  readonly points: readonly PointInput[];
}

/** Percent with the decimals its size needs (shallow drawdowns of intraday runs are hundredths). */
export function percent(v: number): string {
  const a = Math.abs(v);
  return `${v.toFixed(a === 0 || a >= 1 ? 1 : a >= 0.1 ? 2 : 3)}%`;
}

/** The drawdown of `equity` in a pane of `chart`, filled between the line and zero. */
export function addDrawdownSeries(
  chart: IChartApi,
  t: Theme,
  equity: readonly PlotPoint[],
  paneIndex = 0,
): { series: ISeriesApi<'Baseline'>; legend: LegendEntry } {
  const dd = drawdownPercent(equity);
  const series = chart.addSeries(
    BaselineSeries,
    {
      baseValue: { type: 'price', price: 0 },
      topLineColor: t.drawdown,
      topFillColor1: 'rgba(0,0,0,0)',
      topFillColor2: 'rgba(0,0,0,0)',
      bottomLineColor: t.drawdown,
      bottomFillColor1: t.drawdownFill,
      bottomFillColor2: t.drawdownFill,
      lineWidth: 1,
      priceLineVisible: false,
      priceFormat: { type: 'custom', formatter: percent, minMove: 0.0001 },
    },
    paneIndex,
  );
  series.setData(dd.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
  const legend: LegendEntry = {
    name: 'drawdown',
    colour: t.drawdown,
    series,
    last: () => dd.at(-1)?.value,
    format: (v) => `${v.toFixed(2)}%`,
  };
  return { series, legend };
}

export function renderDrawdownChart(el: HTMLElement, d: DrawdownChartData): ChartHandle {
  const equity = plotPoints(d.points);
  const frame = openChart(
    el,
    { ...d, height: d.height ?? 160 },
    equity.map((p) => p.time),
  );
  const { chart, theme: t } = frame;
  const { legend } = addDrawdownSeries(chart, t, equity);
  attachLegend(el, chart, t, [legend]);
  chart.timeScale().fitContent();
  return { chart, destroy: frame.destroy };
}
