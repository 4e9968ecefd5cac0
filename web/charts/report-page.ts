/**
 * The data block a report page embeds (`<script type="application/json" id="rg-report-data">`)
 * and the function that draws it. The report writers on the server build this shape.
 */
import type { ChartHandle } from './frame.ts';
import { renderDrawdownChart, type DrawdownChartData } from './drawdown.ts';
import { renderEquityChart, type EquityChartData } from './equity.ts';
import { renderPriceChart, type PriceChartData } from './price.ts';
import { syncTimeRanges } from './sync.ts';

export type ReportChart =
  | { readonly id: string; readonly kind: 'equity'; readonly data: EquityChartData }
  | { readonly id: string; readonly kind: 'drawdown'; readonly data: DrawdownChartData }
  | { readonly id: string; readonly kind: 'price'; readonly data: PriceChartData };

export interface ReportPageData {
  readonly charts: readonly ReportChart[];
  /** Chart ids whose time ranges move together. */
  readonly sync?: readonly (readonly string[])[];
}

export const REPORT_DATA_ID = 'rg-report-data';

/** Draws every chart whose container is in the page; returns the handles by chart id. */
export function drawReport(doc: Document, page: ReportPageData): Map<string, ChartHandle> {
  const handles = new Map<string, ChartHandle>();
  for (const c of page.charts) {
    const el = doc.getElementById(c.id);
    if (!el) continue;
    if (c.kind === 'equity') handles.set(c.id, renderEquityChart(el, c.data));
    else if (c.kind === 'drawdown') handles.set(c.id, renderDrawdownChart(el, c.data));
    else handles.set(c.id, renderPriceChart(el, c.data));
  }
  for (const group of page.sync ?? []) {
    const charts = group.flatMap((id) => {
      const h = handles.get(id);
      return h ? [h.chart] : [];
    });
    if (charts.length > 1) syncTimeRanges(charts);
  }
  return handles;
}
