/**
 * An equity chart from web/charts (renderEquityChart): the intraday equity with its breaches, kept
 * current by appending points to the drawn series, and a report's equity with its drawdown pane.
 * It is drawn again only when the theme, the breaches or the start of the curve change.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { TickMarkType, type ISeriesApi, type SeriesType, type Time, type UTCTimestamp } from 'lightweight-charts';
import { renderEquityChart, type ChartHandle } from '../../charts/index.ts';
import { formatDateTime, formatTime } from '../format.ts';
import type { ThemeName } from '../theme.ts';

export interface ChartPoint {
  /** Seconds since the epoch, strictly increasing. */
  readonly time: number;
  readonly value: number;
}

export interface ChartMark {
  readonly time: number;
  readonly text: string;
}

export interface ChartLabel {
  readonly time: number;
  readonly text: string;
  readonly color?: string;
}

interface Props {
  readonly title: string;
  readonly points: readonly ChartPoint[];
  readonly marks?: readonly ChartMark[];
  /** Chart labels (below the line); seconds since the epoch. */
  readonly labels?: readonly ChartLabel[];
  readonly theme: ThemeName;
  /** Axis times in this zone (intraday charts); daily reports stay in UTC dates. */
  readonly timezone?: string;
  readonly currency?: string;
  readonly drawdown?: boolean;
  readonly height?: number;
  readonly testid?: string;
  /** Shown under the chart in the same card (e.g. its labels). */
  readonly children?: ComponentChildren;
}

interface Drawn {
  readonly handle: ChartHandle;
  readonly series: ISeriesApi<SeriesType> | undefined;
  readonly key: string;
  count: number;
}

export function EquityChart(p: Props) {
  const el = useRef<HTMLDivElement>(null);
  const drawn = useRef<Drawn | undefined>(undefined);
  useEffect(() => () => drawn.current?.handle.destroy(), []);
  useEffect(() => {
    const labels = (p.labels ?? []).map((l) => `${l.time}:${l.text}:${l.color ?? ''}`).join(',');
    const key = `${p.theme}|${p.timezone}|${p.marks?.length ?? 0}|${p.points[0]?.time ?? ''}|${labels}`;
    const d = drawn.current;
    if (d && d.key === key && d.series && p.points.length >= d.count) {
      for (const pt of p.points.slice(Math.max(0, d.count - 1)))
        d.series.update({ time: pt.time as UTCTimestamp, value: pt.value });
      d.count = p.points.length;
      return;
    }
    d?.handle.destroy();
    drawn.current = draw(el.current!, p, key);
  }, [p.points, p.marks, p.labels, p.theme, p.timezone]);
  return (
    <section class="card" aria-label={p.title} data-testid={p.testid}>
      <h2>{p.title}</h2>
      <div class="chart" ref={el} role="img" aria-label={`${p.title} chart`} />
      {p.children}
    </section>
  );
}

function draw(el: HTMLElement, p: Props, key: string): Drawn {
  const handle = renderEquityChart(el, {
    points: p.points.map((x) => ({ time: x.time * 1000, value: x.value })),
    breaches: (p.marks ?? []).map((m) => ({ time: m.time * 1000, label: m.text })),
    labels: (p.labels ?? []).map((l) => ({
      time: l.time * 1000,
      text: l.text,
      ...(l.color ? { color: l.color } : {}),
    })),
    theme: p.theme,
    height: p.height ?? (p.drawdown ? 380 : 260),
    intraday: p.timezone !== undefined,
    ...(p.currency ? { currency: p.currency } : {}),
    ...(p.drawdown ? { drawdown: true } : {}),
  });
  const tz = p.timezone;
  if (tz) {
    const iso = (t: Time) => new Date((t as number) * 1000).toISOString();
    handle.chart.applyOptions({
      localization: { timeFormatter: (t: Time) => formatTime(iso(t), tz) },
      timeScale: { tickMarkFormatter: (t: Time, mark: TickMarkType) => tickLabel(iso(t), tz, mark) },
    });
  }
  const series = handle.chart.panes()[0]?.getSeries()[0];
  return { handle, series, key, count: p.points.length };
}

/** Axis labels in the trading zone: dates for day marks, HH:MM or HH:MM:SS for times. */
function tickLabel(iso: string, tz: string, mark: TickMarkType): string {
  if (mark === TickMarkType.TimeWithSeconds) return formatTime(iso, tz);
  if (mark === TickMarkType.Time) return formatTime(iso, tz).slice(0, 5);
  return formatDateTime(iso, tz).slice(5, 10);
}
