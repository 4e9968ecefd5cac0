/**
 * The dashboard in Chromium against a real `riskgate start` (paper broker, bundled data): login,
 * isolation, a rejected order, P&L moving with fills, a daily-loss breach (banner, flattened
 * position), an admin unlock and a config change in its audit trail, the viewer's read-only page, and a restart.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, loggedIn, screenshot, startGateway, waitText, type Gateway } from './harness.ts';

let gw: Gateway;
let browser: Browser;
let trader: Page;
const keys: Record<string, string> = {};
/** The day's realized P&L once the breach is flattened (the flatten's price is the next quote's). */
let realized = '';

before(async () => {
  gw = await startGateway();
  browser = await launchBrowser();
  keys.trader = await gw.key('trader', 'PAPER-1');
  keys.admin = await gw.key('admin');
  keys.viewer = await gw.key('viewer', 'PAPER-1');
});

after(async () => {
  await browser?.close();
  await gw?.stop();
});

test('a trader logs in with an API key and sees only its own account', async () => {
  trader = await loggedIn(browser, gw.url, keys.trader!);
  const nav = trader.getByRole('navigation', { name: 'Pages' });
  await waitText(trader.getByTestId('trading-state'), /ACTIVE/);
  assert.equal(await nav.getByRole('link', { name: 'PAPER-1' }).count(), 1);
  assert.equal(await nav.getByRole('link', { name: 'PAPER-2' }).count(), 0);
  assert.equal(await nav.getByRole('link', { name: 'Admin' }).count(), 0);
  await trader.goto(`${gw.url}/#/account/PAPER-2`);
  await waitText(trader.getByTestId('unknown-account'), /Unknown account PAPER-2/);
  assert.equal(await trader.getByText('Net P&L today').count(), 0, 'nothing of PAPER-2 is shown');
  await trader.goto(`${gw.url}/#/account/PAPER-1`);
  await waitText(trader.getByTestId('trading-state'), /ACTIVE/);
});

test('an order the rules refuse is rejected, and the page says which rule and why', async () => {
  await trader.getByLabel('Symbol').fill('ES');
  await trader.getByLabel('Quantity').fill('10');
  await trader.getByRole('button', { name: 'Buy' }).click();
  const why = await waitText(trader.getByTestId('order-rejected'), /Max contracts \(RULE-001\)/);
  assert.match(why, /open contracts to 10 > 5/);
  await screenshot(trader, 'order-rejected');
});

test('P&L moves as fills arrive; a daily-loss breach locks the account and flattens it', async () => {
  await waitText(trader.getByText(/bid .* ask/), /bid \d/);
  assert.equal(await trader.getByTestId('pnl-realized').textContent(), '$0.00');
  // Both orders fill on the same quote: the contract sold back loses exactly the spread (12.50 > 10).
  const before = await trader.getByText(/bid .* ask/).textContent();
  await waitText(trader.getByText(/bid .* ask/), new RegExp(`^(?!${escape(before!)}$)`), 10_000);
  await trader.getByLabel('Quantity').fill('2');
  await trader.getByRole('button', { name: 'Buy' }).click();
  await trader.getByLabel('Quantity').fill('1');
  await trader.getByRole('button', { name: 'Sell' }).click();
  await waitText(trader.getByTestId('pnl-realized'), /^-\$\d/);
  await waitText(trader.getByTestId('fills'), /buy.*sell|sell.*buy/s);
  const banner = await waitText(trader.getByTestId('lock-banner'), /Daily loss limit \(RULE-003\)/);
  assert.match(banner, /ends in \d/, 'a countdown to the reset');
  await waitText(trader.getByTestId('flat'), /Flat/);
  realized = (await trader.getByTestId('pnl-realized').textContent())!;
  assert.match(realized, /^-\$\d/);
  await waitText(trader.getByTestId('violations'), /breach.*Daily loss limit/s);
  await screenshot(trader, 'breach');
});

test('an admin unlocks with a reason, and the audit trail says who, when and why', async () => {
  const admin = await loggedIn(browser, gw.url, keys.admin!);
  await admin.getByRole('link', { name: 'Admin' }).click();
  await admin.getByLabel('Account', { exact: true }).selectOption('PAPER-1');
  const unlock = admin.getByRole('button', { name: 'Unlock' });
  assert.equal(await unlock.isDisabled(), true, 'no unlock without a reason');
  await admin.getByLabel('Reason (required, journaled)').fill('reviewed the loss with the trader');
  await unlock.click();
  const unlocked = admin.locator('[data-testid="audit"] tr[data-kind="unlock"]').first();
  await waitText(unlocked, /PAPER-1\s*api:\w+\s*admin unlock.*reviewed the loss with the trader/);
  await waitText(trader.getByTestId('trading-state'), /ACTIVE/);
  assert.equal(await trader.getByTestId('lock-banner').count(), 0, 'the banner is gone');
  // A config change goes to no account's stream: the trail reads it from GET /admin/audit.
  await admin.waitForFunction(`document.getElementById('config-text')?.value.includes('"risk"')`);
  await admin.getByLabel('Why the change (optional, in the audit trail)').fill('same rules, audit check');
  await admin.getByRole('button', { name: 'Validate and apply' }).click();
  const change = admin.locator('[data-testid="audit"] tr[data-kind="config"]').first();
  await waitText(change, /\dall\s*api:\w+\s*config change: nothing changed\s*same rules, audit check$/);
  await screenshot(admin, 'admin');
  await admin.context().close();
});

test('a viewer sees the account but no trading buttons', async () => {
  const viewer = await loggedIn(browser, gw.url, keys.viewer!, 390, 844);
  await waitText(viewer.getByTestId('pnl-realized'), new RegExp(`^${escape(realized)}$`));
  for (const name of ['Buy', 'Sell', 'Flatten all', 'Cancel'])
    assert.equal(await viewer.getByRole('button', { name }).count(), 0, name);
  await screenshot(viewer, 'viewer-phone');
  await viewer.context().close();
});

test('a backtest on the bundled data runs from the Reports page and shows its report', async () => {
  await trader.getByRole('link', { name: 'Reports' }).click();
  await trader.getByRole('button', { name: 'Run backtest' }).click();
  await waitText(trader.getByTestId('backtest-status'), /: done/, 60_000);
  await waitText(trader.getByTestId('report'), /First breach per day.*RULE-\d{3}/s);
  assert.equal(await trader.locator('[data-testid="report-equity"] canvas').first().isVisible(), true);
  await screenshot(trader, 'report');
  await trader.getByRole('link', { name: 'PAPER-1' }).click();
  await waitText(trader.getByTestId('trading-state'), /ACTIVE/);
});

test('the page survives a server restart: it reconnects and shows the current state', async () => {
  const restarted = gw.restart();
  await waitText(trader.getByTestId('link-state'), /disconnected — reconnecting/);
  await restarted;
  await waitText(trader.getByTestId('link-state'), /^live$/, 30_000);
  await waitText(trader.getByTestId('pnl-realized'), new RegExp(`^${escape(realized)}$`));
  await waitText(trader.getByTestId('trading-state'), /ACTIVE/);
  await screenshot(trader, 'after-restart');
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
