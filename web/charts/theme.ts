/** Light and dark colours shared by every chart, and the chart options built from them. */
import { ColorType, type DeepPartial, type ChartOptions } from 'lightweight-charts';

export type ThemeName = 'light' | 'dark';

export interface Theme {
  readonly background: string;
  readonly text: string;
  readonly grid: string;
  readonly border: string;
  readonly equity: string;
  readonly benchmark: string;
  readonly drawdown: string;
  readonly drawdownFill: string;
  readonly up: string;
  readonly down: string;
  readonly breach: string;
  readonly price: string;
}

export const THEMES: Readonly<Record<ThemeName, Theme>> = {
  light: {
    background: '#ffffff',
    text: '#1f2328',
    grid: '#eef0f3',
    border: '#d0d7de',
    equity: '#1f6feb',
    benchmark: '#8c959f',
    drawdown: '#cf222e',
    drawdownFill: 'rgba(207, 34, 46, 0.25)',
    up: '#1a7f37',
    down: '#cf222e',
    breach: '#bc4c00',
    price: '#57606a',
  },
  dark: {
    background: '#0d1117',
    text: '#e6edf3',
    grid: '#21262d',
    border: '#30363d',
    equity: '#58a6ff',
    benchmark: '#8b949e',
    drawdown: '#f85149',
    drawdownFill: 'rgba(248, 81, 73, 0.3)',
    up: '#3fb950',
    down: '#f85149',
    breach: '#f0883e',
    price: '#8b949e',
  },
};

export function theme(name: ThemeName | undefined): Theme {
  return THEMES[name ?? 'light'];
}

/** Chart options: themed, sized to the container, time axis with dates (and times for intraday data). */
export function chartOptions(t: Theme, height: number, intraday: boolean): DeepPartial<ChartOptions> {
  return {
    height,
    autoSize: false,
    layout: {
      background: { type: ColorType.Solid, color: t.background },
      textColor: t.text,
      fontSize: 12,
      fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif',
      attributionLogo: false,
    },
    grid: { vertLines: { color: t.grid }, horzLines: { color: t.grid } },
    rightPriceScale: { borderColor: t.border },
    // A small minimum bar spacing lets fitContent show years of daily data in one screen.
    timeScale: { borderColor: t.border, timeVisible: intraday, secondsVisible: false, minBarSpacing: 0.01 },
    crosshair: { mode: 0 },
  };
}
