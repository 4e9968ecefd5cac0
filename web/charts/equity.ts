/**
 * Equity over time, with an optional benchmark (buy-and-hold) line, breach markers on the equity
 * line, an optional drawdown pane underneath and a legend.
 */
import { createSeriesMarkers, LineSeries, type SeriesMarker, type Time, type UTCTimestamp } from 'lightweight-charts';
import { formatValue, plotPoints, snapTime, toSeconds, type PointInput, type TimeInput } from './data.ts';
import { addDrawdownSeries } from './drawdown.ts';
import { openChart, type ChartHandle, type FrameOptions } from './frame.ts';
import { attachLegend, type LegendEntry } from './legend.ts';
import type { Theme } from './theme.ts';

export interface BreachMark {
  readonly time: TimeInput;
  /** Short text beside the marker, e.g. the rule id. */
  readonly label: string;
}

export interface EquityChartData extends FrameOptions {
  readonly points: readonly PointInput[];
  /** e.g. buy-and-hold of the same capital. */
  readonly benchmark?: readonly PointInput[];
  readonly benchmarkName?: string;
  readonly breaches?: readonly BreachMark[];
  /** Shown beside values in the legend (e.g. `USD`). */
  readonly currency?: string;
  /** Adds a drawdown pane (percent from the running peak) under the equity. */
  readonly drawdown?: boolean;
  /** Legend name of the equity line (default `equity`). */
  readonly name?: string;
}

export function breachMarkers(
  times: readonly number[],
  breaches: readonly BreachMark[],
  t: Theme,
): SeriesMarker<Time>[] {
  const out: SeriesMarker<Time>[] = [];
  for (const b of breaches) {
    const at = snapTime(times, toSeconds(b.time));
    if (at === undefined) continue;
    out.push({
      time: at as UTCTimestamp,
      position: 'aboveBar',
      shape: 'square',
      color: t.breach,
      text: b.label,
      size: 1,
    });
  }
  return out.sort((a, b) => (a.time as number) - (b.time as number));
}

export function renderEquityChart(el: HTMLElement, d: EquityChartData): ChartHandle {
  const equity = plotPoints(d.points);
  const times = equity.map((p) => p.time);
  const drawdownHeight = d.drawdown ? Math.round((d.height ?? 420) * 0.3) : 0;
  const frame = openChart(el, { ...d, height: d.height ?? (d.drawdown ? 420 : 320) }, times);
  const { chart, theme: t } = frame;
  const money = (v: number) => formatValue(v, d.currency);
  const priceFormat = { type: 'custom' as const, formatter: (v: number) => formatValue(v), minMove: 0.01 };
  const line = chart.addSeries(LineSeries, { color: t.equity, lineWidth: 2, priceLineVisible: false, priceFormat });
  line.setData(equity.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
  const entries: LegendEntry[] = [
    { name: d.name ?? 'equity', colour: t.equity, series: line, last: () => equity.at(-1)?.value, format: money },
  ];
  if (d.benchmark && d.benchmark.length > 0) {
    const bench = plotPoints(d.benchmark);
    const b = chart.addSeries(LineSeries, {
      color: t.benchmark,
      lineWidth: 1,
      priceLineVisible: false,
      lastValueVisible: false,
      priceFormat,
    });
    b.setData(bench.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
    entries.push({
      name: d.benchmarkName ?? 'buy and hold',
      colour: t.benchmark,
      series: b,
      last: () => bench.at(-1)?.value,
      format: money,
    });
  }
  if (d.breaches && d.breaches.length > 0) createSeriesMarkers(line, breachMarkers(times, d.breaches, t));
  if (d.drawdown) {
    const { legend } = addDrawdownSeries(chart, t, equity, 1);
    chart.panes()[1]?.setHeight(drawdownHeight);
    entries.push(legend);
  }
  attachLegend(el, chart, t, entries);
  chart.timeScale().fitContent();
  return { chart, destroy: frame.destroy };
}
