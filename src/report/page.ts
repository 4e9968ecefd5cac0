/**
 * Pieces every HTML report with charts shares: escaping, the embedded chart data and inlined chart
 * script (web/charts), the monthly-returns table and the chart library's attribution. A page stays
 * one self-contained file: no fonts, stylesheets or scripts from elsewhere.
 */
import { reportChartsScript } from './charts-script.ts';
import type { ChartCandle, MonthlyReturns } from './series.ts';

/** A chart point: epoch ms, ISO time or `YYYY-MM-DD`; a number or a decimal string. */
export interface SpecPoint {
  time: number | string;
  value: number | string;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** One chart of a page, in the shape web/charts/report-page.ts draws (`ReportChart`). */
export type ChartSpec =
  | {
      id: string;
      kind: 'equity';
      data: {
        points: SpecPoint[];
        benchmark?: SpecPoint[];
        benchmarkName?: string;
        breaches?: Array<{ time: number | string; label: string }>;
        currency?: string;
        drawdown?: boolean;
        name?: string;
        height?: number;
      };
    }
  | {
      id: string;
      kind: 'price';
      data: {
        symbol: string;
        bars?: ChartCandle[];
        line?: SpecPoint[];
        marks?: Array<{ time: number | string; action: 'buy' | 'sell'; label?: string }>;
        height?: number;
      };
    };

export interface ChartsData {
  charts: ChartSpec[];
  sync?: string[][];
}

/** The data block and the chart script, placed at the end of <body>. */
export function chartsScripts(data: ChartsData): string {
  // `<` escaped so no value can close the <script> element.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  return `<script type="application/json" id="rg-report-data">${json}</script>\n<script>${reportChartsScript()}</script>\n`;
}

/** A container a chart is drawn into, inside a captioned figure (the PNG is a picture of a figure). */
export function chartFigure(id: string, caption: string): string {
  return `<figure class="chart" id="fig-${esc(id)}"><figcaption>${esc(caption)}</figcaption><div id="${esc(id)}" class="chart-area"></div></figure>`;
}

export const CHART_CSS =
  'figure.chart{margin:1em 0;padding:0;max-width:1200px}figure.chart figcaption{font-weight:600;margin:0 0 6px}' +
  '.chart-area{position:relative;width:100%;min-height:160px;border:1px solid #eee}' +
  // The chart lays itself out in a <table>: the report's table styles must not reach it.
  '.chart-area table{margin:0;border-collapse:separate}.chart-area td,.chart-area th{padding:0;border:0;background:none}' +
  'table.months td{min-width:3.5em}.neg{color:#b42318}.pos{color:#067647}.attribution{margin-top:3em;font-size:12px;color:#666}';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pctCell(v: number | null): string {
  if (v === null) return '<td></td>';
  return `<td class="${v < 0 ? 'neg' : 'pos'}">${v.toFixed(2)}%</td>`;
}

/** Years down, months across, the year's compounded return last. */
export function monthlyReturnsTable(m: MonthlyReturns): string {
  if (m.years.length === 0) return '<p>No equity marks.</p>';
  const head = `<tr><th>year</th>${MONTHS.map((n) => `<th>${n}</th>`).join('')}<th>year</th></tr>`;
  const rows = m.years.map((y) => `<tr><td>${y.year}</td>${y.months.map(pctCell).join('')}${pctCell(y.total)}</tr>`);
  return `<table class="months">${head}\n${rows.join('\n')}\n</table>`;
}

export const ATTRIBUTION =
  '<p class="attribution">Charts drawn with TradingView Lightweight Charts™ (https://www.tradingview.com/).</p>';
