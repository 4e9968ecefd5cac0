/**
 * The dashboard's daily report, "would have" panel and chart labels in Chromium against a real
 * `riskgate start --mode shadow` (paper broker, bundled data): the figures shown are the API's for
 * the same day, a daily-loss breach (not enforced in shadow mode) appears as "would have locked"
 * (the SHADOW badge in the header and the account, the state "would be REDUCING", the banner),
 * downloads carry the key in a header only, and a label added in the page is pushed, survives a
 * reload and is read-only for a viewer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, loggedIn, screenshot, startGateway, waitText, type Gateway } from './harness.ts';

let gw: Gateway;
let browser: Browser;
let trader: Page;
const keys: Record<string, string> = {};
/** Every URL the trader's page asked for. */
const requested: string[] = [];

const FIELDS = [
  'netRealizedPnl',
  'unrealizedPnl',
  'fees',
  'trades',
  'breaches',
  'rejections',
  'slippage',
  'maxDrawdown',
];

before(async () => {
  gw = await startGateway(['--mode', 'shadow']);
  browser = await launchBrowser();
  keys.trader = await gw.key('trader', 'PAPER-1');
  keys.viewer = await gw.key('viewer', 'PAPER-1');
});

after(async () => {
  await browser?.close();
  await gw?.stop();
});

async function api(path: string, key = keys.trader!): Promise<Response> {
  const res = await fetch(`${gw.url}/api/v1${path}`, { headers: { 'x-api-key': key } });
  assert.equal(res.status, 200, path);
  return res;
}

/** The API's figures as the page shows them (data-value of each field). */
function figuresOf(r: Record<string, unknown>): Record<string, string> {
  const slip = r.slippage as { money: string };
  return {
    netRealizedPnl: String(r.netRealizedPnl),
    unrealizedPnl: String(r.unrealizedPnl),
    fees: String(r.fees),
    trades: String(r.trades),
    breaches: String((r.breaches as unknown[]).length),
    rejections: String((r.rejections as unknown[]).length),
    slippage: slip.money,
    maxDrawdown: String(r.maxDrawdown),
  };
}

async function shownFigures(page: Page): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of FIELDS)
    out[f] = (await page.locator(`[data-testid="daily-report"] [data-field="${f}"]`).getAttribute('data-value'))!;
  return out;
}

test('a breach in shadow mode: nothing is enforced, and the daily report shows what riskgate would have done', async () => {
  trader = await loggedIn(browser, gw.url, keys.trader!);
  trader.on('request', (r) => requested.push(r.url()));
  await waitText(trader.getByTestId('trading-state'), /^ACTIVE$/);
  await waitText(trader.getByTestId('would-have'), /Locked at: not locked/);
  await trader.getByLabel('Symbol').fill('ES');
  await waitText(trader.getByText(/bid .* ask/), /bid \d/);
  // Both orders fill on the same quote: the contract sold back loses exactly the spread (12.50 > 10).
  const quote = await trader.getByText(/bid .* ask/).textContent();
  await waitText(trader.getByText(/bid .* ask/), new RegExp(`^(?!${escape(quote!)}$)`), 10_000);
  await trader.getByLabel('Symbol').fill('ES');
  await trader.getByLabel('Quantity').fill('2');
  await trader.getByRole('button', { name: 'Buy' }).click();
  await trader.getByLabel('Quantity').fill('1');
  await trader.getByRole('button', { name: 'Sell' }).click();
  await waitText(trader.getByTestId('pnl-realized'), /^-\$\d/);
  await waitText(trader.getByTestId('fills'), /buy.*sell|sell.*buy/s);
  assert.equal(await trader.getByTestId('flat').count(), 0, 'shadow mode flattens nothing: the contract stays open');
  const card = trader.getByTestId('daily-report');
  const end = Date.now() + 15_000;
  while (!/Locked at: \d{4}-\d\d-\d\d.*Daily loss limit \(RULE-003\)/.test((await card.textContent()) ?? '')) {
    assert.ok(Date.now() < end, `no "would have locked" in ${await card.textContent()}`);
    await card.getByRole('button', { name: 'Refresh' }).click();
    await new Promise((r) => setTimeout(r, 300));
  }
  // The header and the account say nothing is enforced; the state and banner say what would be.
  await waitText(trader.getByTestId('mode-badge'), /^SHADOW — watching, not enforcing$/);
  await waitText(trader.getByTestId('account-mode'), /SHADOW/);
  await waitText(trader.getByTestId('trading-state'), /^would be (REDUCING|HALTED)$/);
  await waitText(trader.getByTestId('lock-banner'), /^Would have locked: Daily loss limit \(RULE-003\)/);
  const risk = (await (await api('/accounts/PAPER-1/risk')).json()) as { mode: string; state: string };
  assert.deepEqual([risk.mode, risk.state === 'ACTIVE'], ['shadow', false]);
  const date = await card.locator('dl.figures').getAttribute('data-date');
  const shadow = (await (await api(`/accounts/PAPER-1/shadow-report?date=${date}`)).json()) as Record<string, unknown>;
  assert.equal((shadow.wouldHaveLockedAt as { rule: string }).rule, 'RULE-003');
  assert.equal(await card.locator('dl.figures').getAttribute('data-mode'), 'shadow');
  await screenshot(trader, 'daily-report-shadow');
});

test('the daily report shows the figures of GET …/reports/daily for the same day', async () => {
  const card = trader.getByTestId('daily-report');
  const date = (await card.locator('dl.figures').getAttribute('data-date'))!;
  assert.match(date, /^\d{4}-\d\d-\d\d$/);
  // The open contract's marks move every quote: compare once the API answers the same twice around a refresh.
  const end = Date.now() + 20_000;
  for (;;) {
    const before = figuresOf((await (await api(`/accounts/PAPER-1/reports/daily?date=${date}`)).json()) as never);
    await card.getByRole('button', { name: 'Refresh' }).click();
    await new Promise((r) => setTimeout(r, 500));
    const after = figuresOf((await (await api(`/accounts/PAPER-1/reports/daily?date=${date}`)).json()) as never);
    const shown = await shownFigures(trader);
    if (JSON.stringify(before) === JSON.stringify(after) && JSON.stringify(shown) === JSON.stringify(after)) {
      assert.match(shown.netRealizedPnl!, /^-\d/);
      assert.ok(Number(shown.trades) >= 2 && Number(shown.breaches) >= 1, JSON.stringify(shown));
      break;
    }
    assert.ok(Date.now() < end, `page ${JSON.stringify(shown)} vs API ${JSON.stringify(after)}`);
  }
  const [download] = await Promise.all([
    trader.waitForEvent('download'),
    card.getByRole('button', { name: 'CSV' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `riskgate-PAPER-1-${date}.csv`);
  const csv = readFileSync((await download.path())!, 'utf8');
  const fromApi = await (await api(`/accounts/PAPER-1/reports/daily?date=${date}&format=csv`)).text();
  assert.equal(csv.split('\n')[0], fromApi.split('\n')[0]);
  assert.ok(csv.length > 50);
  assert.deepEqual(
    requested.filter((u) => u.includes(keys.trader!)),
    [],
    'the key is never in a URL',
  );
});

test('a label added in the page is drawn live, survives a reload, and a viewer only reads it', async () => {
  const text = `scaled in ${Date.now() % 100_000}`;
  await trader.getByLabel('Note').fill(text);
  await trader.getByRole('button', { name: 'Add label' }).click();
  await waitText(trader.getByTestId('labels'), new RegExp(escape(text)));
  const listed = (await (await api('/labels?account=PAPER-1')).json()) as { labels: { text: string }[] };
  assert.ok(
    listed.labels.some((l) => l.text === text),
    'stored over the API',
  );
  await trader.reload();
  await waitText(trader.getByTestId('link-state'), /^live$/);
  await waitText(trader.getByTestId('labels'), new RegExp(escape(text)));
  const viewer = await loggedIn(browser, gw.url, keys.viewer!);
  await waitText(viewer.getByTestId('labels'), new RegExp(escape(text)));
  assert.equal(await viewer.getByRole('button', { name: 'Add label' }).count(), 0);
  assert.equal(await viewer.getByRole('button', { name: `Delete label ${text}` }).count(), 0);
  await trader.getByRole('button', { name: `Delete label ${text}` }).click();
  await waitText(viewer.getByTestId('labels'), /^(?![\s\S]*scaled in)/);
  await screenshot(trader, 'labels');
  await viewer.context().close();
});

test('keyboard: the flatten dialog opens with Enter, keeps Tab inside, Escape closes it and focus returns', async () => {
  const flatten = trader.getByRole('button', { name: 'Flatten all' });
  await flatten.focus();
  await trader.keyboard.press('Enter');
  const dialog = trader.getByRole('dialog', { name: 'Flatten PAPER-1?' });
  await dialog.waitFor();
  const focused = () => trader.evaluate<string>("document.activeElement?.textContent ?? ''");
  const insideDialog = () => trader.evaluate<boolean>("!!document.activeElement?.closest('dialog[open]')");
  assert.equal(await focused(), 'Flatten', 'focus starts on the confirm button');
  const seen = new Set<string>();
  for (const key of ['Tab', 'Tab', 'Tab', 'Shift+Tab', 'Shift+Tab', 'Shift+Tab']) {
    await trader.keyboard.press(key);
    assert.ok(await insideDialog(), `focus left the dialog after ${key}: ${await focused()}`);
    seen.add(await focused());
  }
  assert.deepEqual([...seen].sort(), ['Cancel', 'Flatten'], "Tab cycles the dialog's two buttons");
  await trader.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  // Focus returns within a frame or two of the dialog leaving the page.
  for (let waited = 0; (await focused()) !== 'Flatten all' && waited < 2_000; waited += 100)
    await trader.waitForTimeout(100);
  assert.equal(await focused(), 'Flatten all', 'focus is back on the button that opened it');
  assert.equal(await trader.getByTestId('flat').count(), 0, 'Escape sent no flatten');
});

test('at a phone width (390 px) the header is one line and the pages are in a menu', async () => {
  const phone = await loggedIn(browser, gw.url, keys.trader!, 390, 800);
  await waitText(phone.getByTestId('link-state'), /^live$/);
  const rows = await phone.locator('header.top').evaluate((h) => {
    const boxes = [...h.children]
      .map((c) => c.getBoundingClientRect())
      .filter((b) => b.width > 0 && b.height > 0 && b.left >= 0);
    return {
      header: h.getBoundingClientRect().height,
      tallest: Math.max(...boxes.map((b) => b.height)),
      centres: boxes.map((b) => Math.round(b.top + b.height / 2)),
    };
  });
  assert.ok(rows.centres.length >= 4, JSON.stringify(rows));
  assert.ok(Math.max(...rows.centres) - Math.min(...rows.centres) <= 3, `items on one line: ${JSON.stringify(rows)}`);
  assert.ok(rows.header < rows.tallest * 2, `header is one line high: ${JSON.stringify(rows)}`);
  assert.equal(await phone.getByRole('link', { name: 'Reports' }).isVisible(), false, 'folded into the menu');
  const menu = phone.getByRole('button', { name: 'Pages menu' });
  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  await phone.getByRole('link', { name: 'Reports' }).click();
  await phone.waitForURL(/#\/reports$/);
  assert.equal(await phone.getByRole('link', { name: 'Reports' }).isVisible(), false, 'the menu closes on a pick');
  await screenshot(phone, 'header-phone');
  await phone.context().close();
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
