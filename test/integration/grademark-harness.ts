/**
 * Runs grademark 0.3.0's sma-cross on a bars CSV, the way its README does it: SMA from
 * data-forge-indicators, merged as a column, bars without an SMA dropped, then `backtest()`.
 * Dates are built as UTC midnight here (not through moment's local-time parsing) so results do
 * not depend on the machine's time zone.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);

export interface GmTrade {
  direction: string;
  entryTime: Date;
  entryPrice: number;
  exitTime: Date;
  exitPrice: number;
  profit: number;
  growth: number;
  exitReason: string;
}

interface DataFrameLike {
  count(): number;
  skip(n: number): DataFrameLike;
  withSeries(name: string, series: unknown): DataFrameLike;
  getSeries(name: string): { sma(period: number): unknown };
  select(fn: (row: Record<string, string>) => unknown): DataFrameLike;
  bake(): DataFrameLike;
}

interface Grademark {
  backtest(strategy: unknown, input: DataFrameLike): GmTrade[];
  analyze(capital: number, trades: GmTrade[]): { growth: number; profit: number; totalTrades: number };
}

const dataForge = require('data-forge') as { fromCSV(text: string): DataFrameLike };
require('data-forge-indicators');
export const grademark = require('grademark') as Grademark;

/** Bars as grademark expects them (time, numeric OHLC); index = row number. */
export function loadGrademarkBars(path: string): DataFrameLike {
  return dataForge
    .fromCSV(readFileSync(path, 'utf8'))
    .select((r) => ({
      time: new Date(`${r.date}T00:00:00Z`),
      open: parseFloat(r.open ?? ''),
      high: parseFloat(r.high ?? ''),
      low: parseFloat(r.low ?? ''),
      close: parseFloat(r.close ?? ''),
      volume: parseFloat(r.volume ?? ''),
    }))
    .bake();
}

/** SMA(period) precomputed as a column; the first period − 1 bars (no SMA yet) dropped. */
export function withSma(bars: DataFrameLike, period: number): DataFrameLike {
  return bars
    .withSeries('sma', bars.getSeries('close').sma(period))
    .skip(period - 1)
    .bake();
}

export const smaCrossStrategy = {
  entryRule: (enter: () => void, args: { bar: { close: number; sma: number } }) => {
    if (args.bar.close > args.bar.sma) enter();
  },
  exitRule: (exit: () => void, args: { bar: { close: number; sma: number } }) => {
    if (args.bar.close < args.bar.sma) exit();
  },
};
