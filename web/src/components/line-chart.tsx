/**
 * A line chart (lightweight-charts) with marks on it: the intraday equity with its breaches, and a
 * report's equity and drawdown. Colours come from the page's theme variables.
 */
import { useEffect, useRef } from 'preact/hooks';
import {
  createChart,
  createSeriesMarkers,
  LineSeries,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import { formatTime } from '../format.ts';

export interface ChartPoint {
  /** Seconds since the epoch, strictly increasing. */
  readonly time: number;
  readonly value: number;
}

export interface ChartMark {
  readonly time: number;
  readonly text: string;
}

interface Handle {
  readonly chart: IChartApi;
  readonly series: ISeriesApi<'Line'>;
  readonly markers: ISeriesMarkersPluginApi<Time>;
}

function isoOf(t: Time): string {
  return typeof t === 'number' ? new Date(t * 1000).toISOString() : String(t);
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export function LineChart({
  title,
  points,
  marks = [],
  theme,
  intraday = true,
  timezone,
  testid,
}: {
  title: string;
  points: readonly ChartPoint[];
  marks?: readonly ChartMark[];
  theme: string;
  intraday?: boolean;
  /** Times on the axis in this zone (default UTC, the dates of daily reports). */
  timezone?: string;
  testid?: string;
}) {
  const el = useRef<HTMLDivElement>(null);
  const handle = useRef<Handle | undefined>(undefined);
  useEffect(() => {
    const grid = cssVar('--grid', '#333');
    const chart = createChart(el.current!, {
      autoSize: true,
      layout: { background: { color: 'transparent' }, textColor: cssVar('--fg', '#ddd') },
      grid: { vertLines: { color: grid }, horzLines: { color: grid } },
      timeScale: {
        timeVisible: intraday,
        secondsVisible: intraday,
        ...(timezone ? { tickMarkFormatter: (t: Time) => formatTime(isoOf(t), timezone).slice(0, 5) } : {}),
      },
      ...(timezone ? { localization: { timeFormatter: (t: Time) => formatTime(isoOf(t), timezone) } } : {}),
    });
    const series = chart.addSeries(LineSeries, { color: cssVar('--accent', '#4ea1ff'), lineWidth: 2 });
    handle.current = { chart, series, markers: createSeriesMarkers(series, []) };
    return () => {
      handle.current = undefined;
      chart.remove();
    };
  }, [theme, intraday, timezone]);
  useEffect(() => {
    const h = handle.current;
    if (!h) return;
    h.series.setData(points.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
    const first = points[0]?.time ?? Infinity;
    const color = cssVar('--neg', '#e5484d');
    h.markers.setMarkers(
      marks
        .filter((m) => m.time >= first)
        .map((m) => ({
          time: m.time as UTCTimestamp,
          position: 'aboveBar' as const,
          color,
          shape: 'arrowDown' as const,
          text: m.text,
        })),
    );
  }, [points, marks, theme, intraday]);
  return (
    <section class="card" aria-label={title} data-testid={testid}>
      <h2>{title}</h2>
      <div class="chart" ref={el} role="img" aria-label={`${title} chart`} />
    </section>
  );
}
