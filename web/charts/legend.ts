/**
 * A legend over the chart's top-left corner: one entry per series (colour, name, value). Values
 * follow the crosshair, and show the latest value when the pointer is off the chart.
 */
import type { IChartApi, ISeriesApi, MouseEventParams, SeriesType, Time } from 'lightweight-charts';
import type { Theme } from './theme.ts';

export interface LegendEntry {
  readonly name: string;
  readonly colour: string;
  readonly series: ISeriesApi<SeriesType>;
  /** Value shown when the pointer is off the chart (the latest one). */
  readonly last: () => number | undefined;
  readonly format: (v: number) => string;
}

function valueOf(series: ISeriesApi<SeriesType>, param: MouseEventParams<Time>): number | undefined {
  const d = param.seriesData.get(series) as { value?: number; close?: number } | undefined;
  return d?.value ?? d?.close;
}

export function attachLegend(
  el: HTMLElement,
  chart: IChartApi,
  t: Theme,
  entries: readonly LegendEntry[],
): HTMLElement {
  const box = document.createElement('div');
  box.className = 'rg-legend';
  box.setAttribute(
    'style',
    `position:absolute;left:8px;top:6px;z-index:3;font:12px system-ui,sans-serif;color:${t.text};` +
      `background:${t.background}cc;padding:3px 6px;border-radius:4px;pointer-events:none;display:flex;gap:12px;flex-wrap:wrap`,
  );
  const values = entries.map((e) => {
    const item = document.createElement('span');
    const swatch = document.createElement('span');
    swatch.setAttribute(
      'style',
      `display:inline-block;width:10px;height:3px;margin-right:5px;vertical-align:middle;background:${e.colour}`,
    );
    const value = document.createElement('b');
    value.style.fontWeight = '600';
    value.style.marginLeft = '4px';
    item.append(swatch, document.createTextNode(e.name), value);
    box.append(item);
    return value;
  });
  const show = (param?: MouseEventParams<Time>) =>
    entries.forEach((e, i) => {
      const v = param?.time !== undefined ? valueOf(e.series, param) : e.last();
      values[i]!.textContent = v === undefined ? '' : e.format(v);
    });
  show();
  chart.subscribeCrosshairMove((param) => show(param.time === undefined ? undefined : param));
  el.append(box);
  return box;
}
