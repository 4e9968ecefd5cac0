/**
 * riskgate chart components: framework-free (DOM + lightweight-charts 5), shared by the dashboard
 * and the HTML reports. Each `render…` takes a container element and a data object, draws into it
 * (width follows the container, height from `height`) and returns `{ chart, destroy() }`.
 *
 * Inputs (see data.ts): times are epoch milliseconds UTC, ISO-8601 strings or `YYYY-MM-DD`;
 * values are decimal strings or numbers (converted to numbers for plotting only).
 * Common options: `theme: 'light' | 'dark'` (default light), `height` (CSS px),
 * `intraday` (show times of day; default: detected from the data).
 *
 * - `renderEquityChart(el, { points: [{time, value}], benchmark?, benchmarkName?,
 *     breaches?: [{time, label}], labels?: [{time, text, color?}], currency?, drawdown?: boolean, name? })`
 *   equity line, dashed benchmark (buy and hold), breach markers above the equity line, label
 *   markers below it, and with
 *   `drawdown: true` a drawdown pane underneath. Legend: equity, benchmark, drawdown. Its handle
 *   also has `update({ points, benchmark?, breaches?, labels? })` for live data (zoom and legend stay).
 * - `renderDrawdownChart(el, { points })` drawdown in percent below the running peak of the
 *   equity `points`.
 * - `renderPriceChart(el, { symbol, bars?: [{time, open, high, low, close}] | line?: [{time, value}],
 *     marks?: [{time, action: 'buy' | 'sell', label?}], maxLabels? })` candles or a close line with
 *   buy (below, up arrow) and sell (above, down arrow) markers.
 * - `tradeMarkers(times, marks, theme, maxLabels)` / `breachMarkers(times, breaches, theme)` /
 *   `labelMarkers(times, labels, theme)`: the
 *   series markers these charts draw (times in UTC seconds), for a chart built elsewhere.
 * - `syncTimeRanges([chartA, chartB])` keeps their visible time ranges together.
 * - `drawReport(document, { charts: [{ id, kind: 'equity'|'drawdown'|'price', data }], sync? })`
 *   draws a report page's charts into the elements with those ids (report-entry.ts does this from
 *   the page's `<script type="application/json" id="rg-report-data">`).
 * - `THEMES` / `theme(name)`: the colours, for surrounding UI that should match.
 */
export {
  renderEquityChart,
  type BreachMark,
  type EquityChartData,
  type EquityChartHandle,
  type EquityUpdate,
  breachMarkers,
  labelMarkers,
  type LabelMark,
} from './equity.ts';
export { renderDrawdownChart, type DrawdownChartData } from './drawdown.ts';
export { renderPriceChart, tradeMarkers, type BarInput, type PriceChartData, type TradeMark } from './price.ts';
export { syncTimeRanges } from './sync.ts';
export { drawReport, REPORT_DATA_ID, type ReportChart, type ReportPageData } from './report-page.ts';
export { THEMES, theme, type Theme, type ThemeName } from './theme.ts';
export type { ChartHandle, FrameOptions } from './frame.ts';
export { drawdownPercent, plotPoints, toSeconds, type PointInput, type TimeInput, type ValueInput } from './data.ts';
