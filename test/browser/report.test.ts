/**
 * The HTML reports in a real browser (Debian Chromium, headless): the inlined chart script draws
 * every chart (non-blank canvases, value and time axes with labels, legends), and `--png` from
 * the browser is the equity figure at the picture width. Skipped when Chromium is not installed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { validateConfigText } from '../../src/config/load.ts';
import type { RawConfig } from '../../src/config/schema.ts';
import { loadBars } from '../../src/backtest/bars-file.ts';
import { runBacktest } from '../../src/backtest/engine.ts';
import { htmlReport } from '../../src/backtest/report-html.ts';
import { backtestPicture } from '../../src/backtest/report-picture.ts';
import { smaCross } from '../../src/backtest/strategies/sma-cross.ts';
import { replayHtml } from '../../src/engine/report-html.ts';
import { launchChromium, PICTURE_WIDTH } from '../../src/report/png.ts';
import { readPng } from '../fixtures/png.ts';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bars = loadBars(path.resolve(repoRoot, '../shared/data/bars/intraday/LTC_USDT_2d_1m_1606066988989.json'));
const { config } = validateConfigText(
  'timezone: UTC\nresetTime: "00:00"\nrisk:\n  rules:\n    RULE-003: { limit: "0.5" }\n',
);
const result = runBacktest(bars, smaCross.create({ period: '10', qty: '1', decideOnFillBar: 'false' }), {
  symbol: 'LTCUSDT',
  strategyName: 'sma-cross',
  params: {},
  config: config as RawConfig,
});

interface ChartInk {
  legend: string;
  /** Per canvas of the chart: where it sits and how many pixels differ from the background. */
  canvases: Array<{ left: number; top: number; width: number; height: number; ink: number }>;
  area: { left: number; top: number; width: number; height: number };
}

/** Reads the drawn pixels of every canvas in the chart container `id` (inside the page). */
async function chartInk(page: Page, id: string): Promise<ChartInk> {
  return page.evaluate(`(() => {
    const el = document.getElementById(${JSON.stringify(id)});
    const box = el.getBoundingClientRect();
    const canvases = [...el.querySelectorAll('canvas')].filter((c) => c.width > 0 && c.height > 0).map((c) => {
      const r = c.getBoundingClientRect();
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) {
        const a = data[i + 3];
        if (a > 0 && !(data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245)) ink++;
      }
      return { left: r.left - box.left, top: r.top - box.top, width: r.width, height: r.height, ink };
    });
    return {
      legend: el.querySelector('.rg-legend')?.textContent ?? '',
      canvases,
      area: { left: 0, top: 0, width: box.width, height: box.height },
    };
  })()`);
}

/** A drawn plot, a value axis on the right and a time axis along the bottom, each with ink. */
function assertDrawnWithAxes(c: ChartInk, what: string): void {
  const plot = c.canvases.filter((k) => k.width > c.area.width / 2 && k.height > 60);
  assert.ok(
    plot.some((k) => k.ink > 2000),
    `${what}: a plotted pane (${JSON.stringify(c.canvases)})`,
  );
  const valueAxis = c.canvases.filter((k) => k.left > c.area.width * 0.75 && k.width < 150 && k.height > 60);
  assert.ok(
    valueAxis.some((k) => k.ink > 200),
    `${what}: value axis labels`,
  );
  const timeAxis = c.canvases.filter((k) => k.top > c.area.height - 60 && k.height < 60 && k.width > c.area.width / 2);
  assert.ok(
    timeAxis.some((k) => k.ink > 200),
    `${what}: time axis labels`,
  );
}

const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed`;

describe('HTML reports in Chromium', { skip }, () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    browser = await launchChromium(CHROMIUM);
    page = await browser.newPage({ viewport: { width: 1200, height: 1000 } });
    page.on('pageerror', (e) => errors.push(e.message));
    // Self-contained: any request to the network is a failure of the page.
    await page.route('**/*', (route) => {
      errors.push(`request to ${route.request().url()}`);
      return route.abort();
    });
  });
  after(async () => browser?.close());

  async function open(html: string): Promise<void> {
    await page.setContent(html, { waitUntil: 'load' });
    await page.waitForFunction("document.documentElement.getAttribute('data-charts') !== null", undefined, {
      timeout: 20_000,
    });
    assert.equal(await page.evaluate("document.documentElement.getAttribute('data-charts-error')"), null);
    assert.equal(await page.evaluate("document.documentElement.getAttribute('data-charts')"), 'ready');
    assert.deepEqual(errors, []);
  }

  it('backtest report: price with trade marks, equity against buy and hold with drawdown, both with axes and legends', async () => {
    assert.ok(result.breaches.length > 0 && result.trades.length > 0, 'the run has breaches and trades');
    await open(htmlReport(result, { bars }));
    const price = await chartInk(page, 'chart-price');
    assertDrawnWithAxes(price, 'price');
    assert.match(price.legend, /LTCUSDT\s*\d+\.\d+/);
    const equity = await chartInk(page, 'chart-equity');
    assertDrawnWithAxes(equity, 'equity');
    assert.match(equity.legend, /sma-cross\s*[\d,]+\.\d\d/);
    assert.match(equity.legend, /buy and hold LTCUSDT\s*[\d,]+\.\d\d/);
    assert.match(equity.legend, /drawdown\s*-?\d+\.\d\d%/);
    // Two panes (equity, drawdown): two plotted canvases one above the other.
    const panes = equity.canvases.filter((k) => k.width > equity.area.width / 2 && k.height > 60 && k.ink > 500);
    assert.ok(new Set(panes.map((k) => Math.round(k.top))).size >= 2, 'equity and drawdown panes');
    assert.match((await page.textContent('table.months')) ?? '', /2020/);
  });

  it('backtest --png from Chromium: the equity figure, PICTURE_WIDTH wide', async () => {
    const html = htmlReport(result, { bars });
    const { png, renderer } = await backtestPicture(result, html, { bars }, { RISKGATE_CHROMIUM: CHROMIUM });
    assert.equal(renderer, 'chromium');
    const info = readPng(png);
    assert.equal(info.width, PICTURE_WIDTH);
    assert.ok(info.height > 400 && info.height < 600, `height ${info.height}`);
    assert.ok(new Set(info.raw).size > 50, 'not a blank picture');
  });

  it('replay report: cumulative net P&L by day with breaches, axes and legend', async () => {
    const days = (net: string[], breachOn: number) =>
      Object.fromEntries(
        net.map((n, i) => [
          `2026-03-0${i + 2}`,
          {
            grossRealizedPnl: n,
            fees: '0',
            netRealizedPnl: n,
            fills: 2,
            breaches:
              i === breachOn ? [{ rule: 'RULE-003', ts: `2026-03-0${i + 2}T15:00:00.000Z`, action: 'close_all' }] : [],
            rejections: [],
          },
        ]),
      );
    await open(
      replayHtml({
        accounts: { A1: { days: days(['120', '-80.5', '40', '-300', '95'], 3), positions: {} } },
        events: 40,
        hash: 'h',
      }),
    );
    const chart = await chartInk(page, 'chart-account-0');
    assertDrawnWithAxes(chart, 'replay');
    assert.match(chart.legend, /cumulative net P&L\s*-125\.50/);
  });
});
