import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPng } from '../../test/fixtures/png.ts';
import { niceTicks, pictureSvg, timeTicks } from './picture-svg.ts';
import { chromiumPath, PICTURE_WIDTH, renderPng } from './png.ts';

const DAY = 86_400_000;
const start = Date.parse('2019-01-02T00:00:00Z');
const equity = Array.from({ length: 400 }, (_, i) => ({
  time: start + i * DAY,
  value: 10_000 + 800 * Math.sin(i / 30) + i,
}));

test('niceTicks: round steps covering the range', () => {
  assert.deepEqual(niceTicks(0, 10, 5), { ticks: [0, 2, 4, 6, 8, 10], step: 2 });
  assert.deepEqual(niceTicks(9_120, 11_480, 5).ticks, [9_500, 10_000, 10_500, 11_000]);
  assert.deepEqual(niceTicks(-7.3, 0, 3), { ticks: [-5, -2.5, 0], step: 2.5 });
});

test('timeTicks: years over long spans, months over months, dates over days', () => {
  assert.deepEqual(
    timeTicks(Date.parse('2000-01-03'), Date.parse('2020-06-30')).map((t) => t.label),
    ['2005', '2010', '2015', '2020'],
  );
  const months = timeTicks(Date.parse('2024-01-15'), Date.parse('2024-09-20')).map((t) => t.label);
  assert.deepEqual(months, ['2024-03', '2024-05', '2024-07', '2024-09']);
  const days = timeTicks(Date.parse('2024-03-01'), Date.parse('2024-03-06')).map((t) => t.label);
  assert.deepEqual(days, ['2024-03-01', '2024-03-02', '2024-03-03', '2024-03-04', '2024-03-05', '2024-03-06']);
});

test('pictureSvg labels both value axes, the dates and the legend', () => {
  const svg = pictureSvg({
    title: 'sma-cross on ES',
    equity,
    benchmark: equity.map((p) => ({ time: p.time, value: p.value * 1.1 })),
    benchmarkName: 'buy and hold ES',
    breaches: [start + 100 * DAY],
  });
  assert.match(svg, /^<svg [^>]*width="1000" height="600"/);
  for (const label of ['sma-cross on ES', 'equity', 'buy and hold ES', 'drawdown (% below peak)', 'risk breach (1)'])
    assert.ok(svg.includes(`>${label}</text>`), label);
  assert.match(svg, />11,000<\/text>/, 'equity axis tick');
  assert.match(svg, />-\d+%<\/text>/, 'drawdown axis tick');
  assert.match(svg, />2019-0\d<\/text>/, 'date tick');
});

test('without a browser the PNG is the SVG chart rasterized, PICTURE_WIDTH wide', async () => {
  const env = { RISKGATE_PNG_RENDERER: 'svg' };
  assert.equal(chromiumPath(env), undefined);
  const { png, renderer } = await renderPng(
    { html: '<html></html>', figureId: 'x', svg: () => pictureSvg({ title: 't', equity }) },
    env,
  );
  assert.equal(renderer, 'svg');
  const info = readPng(png);
  assert.equal(info.width, PICTURE_WIDTH);
  assert.equal(info.height, 600);
  assert.ok(new Set(info.raw).size > 20, 'not a blank picture');
});

test('chromiumPath: RISKGATE_CHROMIUM names the browser; a missing one means none', () => {
  assert.equal(chromiumPath({ RISKGATE_CHROMIUM: '/nonexistent/chromium' }), undefined);
  assert.equal(chromiumPath({ RISKGATE_CHROMIUM: process.execPath }), process.execPath);
});
