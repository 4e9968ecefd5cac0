/**
 * Entry of the script inlined into HTML reports (bundled to one IIFE): reads the page's data block,
 * draws its charts and marks the page `data-charts="ready"` once they are painted (screenshots and
 * tests wait for it), or `data-charts="failed"` with the error.
 */
import { drawReport, REPORT_DATA_ID, type ReportPageData } from './report-page.ts';

function start(): void {
  const root = document.documentElement;
  try {
    const block = document.getElementById(REPORT_DATA_ID);
    const page = JSON.parse(block?.textContent ?? '{"charts":[]}') as ReportPageData;
    drawReport(document, page);
    // Two frames: lightweight-charts paints on the next animation frame.
    requestAnimationFrame(() => requestAnimationFrame(() => root.setAttribute('data-charts', 'ready')));
  } catch (e) {
    root.setAttribute('data-charts', 'failed');
    root.setAttribute('data-charts-error', String(e));
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
