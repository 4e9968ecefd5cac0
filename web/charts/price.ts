/**
 * Price as candles (OHLC bars) or a line (closes), with buy and sell markers (trade entries and
 * exits) and a legend.
 */
import {
  CandlestickSeries,
  createSeriesMarkers,
  LineSeries,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from 'lightweight-charts';
import {
  formatValue,
  plotPoints,
  snapTime,
  toNumber,
  toSeconds,
  type PointInput,
  type TimeInput,
  type ValueInput,
} from './data.ts';
import { openChart, type ChartHandle, type FrameOptions } from './frame.ts';
import { attachLegend } from './legend.ts';
import type { Theme } from './theme.ts';

export interface BarInput {
  readonly time: TimeInput;
  readonly open: ValueInput;
  readonly high: ValueInput;
  readonly low: ValueInput;
  readonly close: ValueInput;
}

export interface TradeMark {
  readonly time: TimeInput;
  /** A buy (long entry, short exit) sits below the bar pointing up; a sell above it pointing down. */
  readonly action: 'buy' | 'sell';
  readonly label?: string;
}

export interface PriceChartData extends FrameOptions {
  readonly symbol: string;
  /** Candles; or give `line` (closes) instead. */
  readonly bars?: readonly BarInput[];
  readonly line?: readonly PointInput[];
  readonly marks?: readonly TradeMark[];
  /** Marker texts are drawn up to this many marks (default 80); beyond it only the arrows. */
  readonly maxLabels?: number;
}

interface Candle {
  time: UTCTimestamp;
  open: number;
  high: number;
  low: number;
  close: number;
}

export function candles(bars: readonly BarInput[]): Candle[] {
  const out: Candle[] = [];
  for (const b of bars) {
    const c = {
      time: toSeconds(b.time) as UTCTimestamp,
      open: toNumber(b.open),
      high: toNumber(b.high),
      low: toNumber(b.low),
      close: toNumber(b.close),
    };
    if (![c.time, c.open, c.high, c.low, c.close].every(Number.isFinite)) continue;
    if (out.length > 0 && out[out.length - 1]!.time >= c.time) {
      if (out[out.length - 1]!.time === c.time) out[out.length - 1] = c;
      continue;
    }
    out.push(c);
  }
  return out;
}

/**
 * One marker per bar and action (several trades on one bar would stack out of the chart), with the
 * count when there are several; texts only while there are few marks.
 */
export function tradeMarkers(
  times: readonly number[],
  marks: readonly TradeMark[],
  t: Theme,
  maxLabels: number,
): SeriesMarker<Time>[] {
  const labelled = marks.length <= maxLabels;
  const byBar = new Map<string, { time: number; action: 'buy' | 'sell'; label?: string; count: number }>();
  for (const m of marks) {
    const at = snapTime(times, toSeconds(m.time));
    if (at === undefined) continue;
    const key = `${at}|${m.action}`;
    const seen = byBar.get(key);
    if (seen) seen.count++;
    else byBar.set(key, { time: at, action: m.action, ...(m.label ? { label: m.label } : {}), count: 1 });
  }
  const out: SeriesMarker<Time>[] = [];
  for (const m of byBar.values()) {
    const buy = m.action === 'buy';
    const text = m.count > 1 ? `${m.label ?? m.action} ×${m.count}` : m.label;
    out.push({
      time: m.time as UTCTimestamp,
      position: buy ? 'belowBar' : 'aboveBar',
      shape: buy ? 'arrowUp' : 'arrowDown',
      color: buy ? t.up : t.down,
      ...(labelled && text ? { text } : {}),
    });
  }
  return out.sort((a, b) => (a.time as number) - (b.time as number));
}

export function renderPriceChart(el: HTMLElement, d: PriceChartData): ChartHandle {
  const bars = d.bars ? candles(d.bars) : [];
  const line = d.bars ? [] : plotPoints(d.line ?? []);
  const times = d.bars ? bars.map((b) => b.time as number) : line.map((p) => p.time);
  const frame = openChart(el, d, times);
  const { chart, theme: t } = frame;
  const series = d.bars
    ? chart.addSeries(CandlestickSeries, {
        upColor: t.up,
        downColor: t.down,
        borderVisible: false,
        wickUpColor: t.up,
        wickDownColor: t.down,
        priceLineVisible: false,
      })
    : chart.addSeries(LineSeries, { color: t.price, lineWidth: 1, priceLineVisible: false });
  if (d.bars) series.setData(bars);
  else series.setData(line.map((p) => ({ time: p.time as UTCTimestamp, value: p.value })));
  const maxLabels = d.maxLabels ?? 80;
  // Many marks: the price scale follows the prices, not the arrows' room.
  if (d.marks && d.marks.length > 0)
    createSeriesMarkers(series, tradeMarkers(times, d.marks, t, maxLabels), { autoScale: d.marks.length <= maxLabels });
  const last = () => (d.bars ? bars.at(-1)?.close : line.at(-1)?.value);
  const decimals = Math.min(6, Math.max(2, ...(d.bars ?? []).slice(0, 50).map((b) => decimalsOf(b.close))));
  attachLegend(el, chart, t, [
    {
      name: d.symbol,
      colour: d.bars ? t.up : t.price,
      series,
      last,
      format: (v) => formatValue(v, undefined, decimals),
    },
  ]);
  chart.timeScale().fitContent();
  return { chart, destroy: frame.destroy };
}

function decimalsOf(v: ValueInput): number {
  const s = String(v);
  const i = s.indexOf('.');
  return i < 0 ? 0 : s.length - i - 1;
}
