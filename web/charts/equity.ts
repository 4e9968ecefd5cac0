/**
 * Equity over time, with an optional benchmark (buy-and-hold) line, breach markers on the equity
 * line, an optional drawdown pane underneath and a legend.
 */
import { createSeriesMarkers, LineSeries, type SeriesMarker, type Time, type UTCTimestamp } from 'lightweight-charts';
import {
  formatValue,
  plotPoints,
  snapTime,
  toSeconds,
  type PlotPoint,
  type PointInput,
  type TimeInput,
} from './data.ts';
import { addDrawdownSeries } from './drawdown.ts';
import { openChart, type ChartHandle, type FrameOptions } from './frame.ts';
import { attachLegend, type LegendEntry } from './legend.ts';
import type { Theme } from './theme.ts';

export interface BreachMark {
  readonly time: TimeInput;
  /** Short text beside the marker, e.g. the rule id. */
  readonly label: string;
}

/** A trader's chart label (text at a time, optional price), drawn as a marker below the line. */
export interface LabelMark {
  readonly time: TimeInput;
  readonly text: string;
  /** `#rrggbb`; default the theme's benchmark grey. */
  readonly color?: string;
}

export interface EquityChartData extends FrameOptions {
  readonly points: readonly PointInput[];
  /** e.g. buy-and-hold of the same capital. */
  readonly benchmark?: readonly PointInput[];
  readonly benchmarkName?: string;
  readonly breaches?: readonly BreachMark[];
  readonly labels?: readonly LabelMark[];
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

/** Series markers for labels: circles below the line at the bar at or before each label's time. */
export function labelMarkers(times: readonly number[], labels: readonly LabelMark[], t: Theme): SeriesMarker<Time>[] {
  const out: SeriesMarker<Time>[] = [];
  for (const l of labels) {
    const at = snapTime(times, toSeconds(l.time));
    if (at === undefined) continue;
    out.push({
      time: at as UTCTimestamp,
      position: 'belowBar',
      shape: 'circle',
      color: l.color ?? t.benchmark,
      text: l.text,
      size: 1,
    });
  }
  return out.sort((a, b) => (a.time as number) - (b.time as number));
}

/** What changes in a live equity chart. */
export interface EquityUpdate {
  readonly points: readonly PointInput[];
  readonly benchmark?: readonly PointInput[];
  readonly breaches?: readonly BreachMark[];
  readonly labels?: readonly LabelMark[];
}

export interface EquityChartHandle extends ChartHandle {
  /** New data for the same chart (live equity): the view keeps its zoom and legend. */
  update(d: EquityUpdate): void;
}

const lineData = (points: readonly PlotPoint[]) =>
  points.map((p) => ({ time: p.time as UTCTimestamp, value: p.value }));

export function renderEquityChart(el: HTMLElement, d: EquityChartData): EquityChartHandle {
  let equity = plotPoints(d.points);
  let bench = plotPoints(d.benchmark ?? []);
  const drawdownHeight = d.drawdown ? Math.round((d.height ?? 420) * 0.3) : 0;
  const frame = openChart(
    el,
    { ...d, height: d.height ?? (d.drawdown ? 420 : 320) },
    equity.map((p) => p.time),
  );
  const { chart, theme: t } = frame;
  const money = (v: number) => formatValue(v, d.currency);
  const priceFormat = { type: 'custom' as const, formatter: (v: number) => formatValue(v), minMove: 0.01 };
  const line = chart.addSeries(LineSeries, { color: t.equity, lineWidth: 2, priceLineVisible: false, priceFormat });
  const entries: LegendEntry[] = [
    { name: d.name ?? 'equity', colour: t.equity, series: line, last: () => equity.at(-1)?.value, format: money },
  ];
  const benchSeries =
    bench.length > 0
      ? chart.addSeries(LineSeries, {
          color: t.benchmark,
          lineWidth: 1,
          priceLineVisible: false,
          lastValueVisible: false,
          priceFormat,
        })
      : undefined;
  if (benchSeries)
    entries.push({
      name: d.benchmarkName ?? 'buy and hold',
      colour: t.benchmark,
      series: benchSeries,
      last: () => bench.at(-1)?.value,
      format: money,
    });
  const markers = createSeriesMarkers(line, []);
  const drawdown = d.drawdown ? addDrawdownSeries(chart, t, equity, 1) : undefined;
  if (drawdown) {
    chart.panes()[1]?.setHeight(drawdownHeight);
    entries.push(drawdown.legend);
  }
  const draw = (u: EquityUpdate) => {
    equity = plotPoints(u.points);
    line.setData(lineData(equity));
    if (benchSeries && u.benchmark) benchSeries.setData(lineData((bench = plotPoints(u.benchmark))));
    const times = equity.map((p) => p.time);
    markers.setMarkers(
      [...breachMarkers(times, u.breaches ?? [], t), ...labelMarkers(times, u.labels ?? [], t)].sort(
        (a, b) => (a.time as number) - (b.time as number),
      ),
    );
    drawdown?.set(equity);
  };
  draw(d);
  const legend = attachLegend(el, chart, t, entries);
  chart.timeScale().fitContent();
  const update = (u: EquityUpdate) => {
    draw(u);
    legend.refresh();
  };
  return { chart, destroy: frame.destroy, update };
}
