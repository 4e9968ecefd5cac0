/**
 * The chart components (web/charts) in Chromium, called as the dashboard calls them: each draws
 * into its element with a legend, the dark theme paints a dark background, an equity chart takes
 * live updates, and price marks come out one per bar and action. Skipped without Chromium.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../src/report/png.ts';

const CHROMIUM = '/usr/bin/chromium';
const skip = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed`;

/** web/charts/index.ts as a script defining `rgCharts`. */
function chartsGlobal(): string {
  const out = buildSync({
    entryPoints: [fileURLToPath(new URL('../../web/charts/index.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    globalName: 'rgCharts',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

const DAY = 86_400_000;
const t0 = Date.UTC(2024, 0, 2);
const points = Array.from({ length: 120 }, (_, i) => ({ time: t0 + i * DAY, value: (10_000 + 40 * i).toFixed(2) }));

describe('web/charts components in Chromium', { skip }, () => {
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  before(async () => {
    browser = await launchChromium(CHROMIUM);
    page = await browser.newPage({ viewport: { width: 900, height: 800 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.setContent('<!doctype html><html><body><div id="a"></div><div id="b"></div></body></html>');
    await page.addScriptTag({ content: chartsGlobal() });
  });
  after(async () => browser?.close());

  /** Runs `body` in the page with `rgCharts` and `data` in scope, after two animation frames. */
  async function run<T>(body: string, data: unknown): Promise<T> {
    return page.evaluate(
      `(async () => { const data = ${JSON.stringify(data)}; const result = (() => { ${body} })();
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))); return result; })()`,
    ) as Promise<T>;
  }

  const pixel = (id: string, x: number, y: number) =>
    run<number[]>(
      `const c = document.querySelector('#${id} canvas'); return [...c.getContext('2d').getImageData(${x}, ${y}, 1, 1).data];`,
      null,
    );

  it('an equity chart in the dark theme, updated live: the legend shows the latest equity', async () => {
    await run(
      `window.eq = rgCharts.renderEquityChart(document.getElementById('a'),
        { points: data, theme: 'dark', currency: 'USD', drawdown: true, breaches: [{ time: data[30].time, label: 'RULE-003' }] });`,
      points,
    );
    assert.match((await page.textContent('#a .rg-legend')) ?? '', /equity\s*14,760\.00 USD.*drawdown\s*0\.00%/);
    const [r, g, b] = await pixel('a', 5, 5);
    assert.ok(r! < 40 && g! < 40 && b! < 50, `dark background, got ${r},${g},${b}`);
    const later = [...points, { time: t0 + 120 * DAY, value: '13000' }];
    await run(`window.eq.update({ points: data });`, later);
    assert.match((await page.textContent('#a .rg-legend')) ?? '', /equity\s*13,000\.00 USD.*drawdown\s*-11\.92%/);
  });

  it('a price chart: candles with one buy mark for two buys on a bar, in the light theme', async () => {
    const bars = points.map((p, i) => ({ time: p.time, open: 100 + i, high: 102 + i, low: 99 + i, close: 101 + i }));
    const marks = [
      { time: bars[10]!.time, action: 'buy', label: 'buy' },
      { time: bars[10]!.time + 3_600_000, action: 'buy', label: 'buy' },
      { time: bars[20]!.time, action: 'sell', label: 'sell' },
    ];
    const count = await run<number>(
      `const h = rgCharts.renderPriceChart(document.getElementById('b'), { symbol: 'ES', bars: data.bars, marks: data.marks });
       return h.chart.panes()[0].getSeries().length;`,
      { bars, marks },
    );
    assert.equal(count, 1);
    const seconds = bars.map((b) => b.time / 1000);
    const shown = await run<Array<{ time: number; shape: string; text?: string }>>(
      `return rgCharts.tradeMarkers(data.seconds, data.marks, rgCharts.THEMES.light, 80);`,
      { seconds, marks },
    );
    assert.deepEqual(
      shown.map((m) => [m.time, m.shape, m.text]),
      [
        [seconds[10], 'arrowUp', 'buy ×2'],
        [seconds[20], 'arrowDown', 'sell'],
      ],
    );
    assert.match((await page.textContent('#b .rg-legend')) ?? '', /ES\s*220\.00/);
    const [r, g, b] = await pixel('b', 5, 5);
    assert.ok(r! > 240 && g! > 240 && b! > 240, `light background, got ${r},${g},${b}`);
    assert.deepEqual(errors, []);
  });
});
