/**
 * The `--png` picture of a report's chart: the report page itself drawn by headless Chromium and
 * the chart's figure photographed, when Chromium is installed; otherwise an SVG chart of the same
 * series (picture-svg.ts) rasterized by resvg. Both give a picture PICTURE_WIDTH pixels wide.
 * RISKGATE_PNG_RENDERER=svg always uses the SVG path; RISKGATE_CHROMIUM names another browser.
 */
import { existsSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { AppError } from '../errors.ts';

export const PICTURE_WIDTH = 1000;

export type PngRenderer = 'chromium' | 'svg';

export interface PictureSource {
  /** The report page, and the id of the figure to photograph in it. */
  readonly html: string;
  readonly figureId: string;
  /** The same chart as SVG, PICTURE_WIDTH wide, for when there is no browser. */
  readonly svg: () => string;
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium as every riskgate browser runs it (reports, the dashboard's browser tests). */
export async function launchChromium(executablePath: string): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/** The browser to draw with, or undefined when none is installed or the SVG path is asked for. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.RISKGATE_PNG_RENDERER === 'svg') return undefined;
  const path = env.RISKGATE_CHROMIUM || '/usr/bin/chromium';
  return existsSync(path) ? path : undefined;
}

export async function renderPng(
  src: PictureSource,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ png: Buffer; renderer: PngRenderer }> {
  const browser = chromiumPath(env);
  if (browser !== undefined) return { png: await chromiumPng(browser, src), renderer: 'chromium' };
  return { png: await svgPng(src.svg()), renderer: 'svg' };
}

/** The figure at PICTURE_WIDTH CSS pixels, page margins removed, once the charts say they are drawn. */
async function chromiumPng(executablePath: string, src: PictureSource): Promise<Buffer> {
  const css = `<style>body{margin:0}#${src.figureId}{width:${PICTURE_WIDTH}px;max-width:none;margin:0;padding:12px 16px;box-sizing:border-box;background:#fff}</style>`;
  const html = src.html.replace('</head>', `${css}</head>`);
  let browser;
  try {
    browser = await launchChromium(executablePath);
    const page = await browser.newPage({ viewport: { width: PICTURE_WIDTH, height: 900 }, deviceScaleFactor: 1 });
    await page.setContent(html, { waitUntil: 'load' });
    // Expressions as text: they run in the page, and this code is typed without the DOM.
    await page.waitForFunction("document.documentElement.getAttribute('data-charts') !== null", undefined, {
      timeout: 30_000,
    });
    const state = (await page.evaluate(
      "['data-charts', 'data-charts-error'].map((a) => document.documentElement.getAttribute(a))",
    )) as Array<string | null>;
    if (state[0] !== 'ready') throw new Error(`the charts failed in the browser: ${state[1]}`);
    return await page.locator(`#${src.figureId}`).screenshot({ type: 'png' });
  } catch (e) {
    throw new AppError(
      'ERR_REPORT_PNG',
      `Chromium (${executablePath}) could not draw the chart: ${(e as Error).message}`,
    );
  } finally {
    await browser?.close();
  }
}

async function svgPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import('@resvg/resvg-js');
  try {
    const r = new Resvg(svg, {
      background: '#ffffff',
      fitTo: { mode: 'original' },
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    });
    return Buffer.from(r.render().asPng());
  } catch (e) {
    throw new AppError('ERR_REPORT_PNG', `the SVG chart could not be rasterized: ${(e as Error).message}`);
  }
}
