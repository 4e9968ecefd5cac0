/**
 * The browser tests' world: a real `riskgate start` (paper broker, bundled data) with its API keys
 * made by the CLI, and Debian's Chromium driven by playwright-core. Screenshots go to
 * test/artifacts/ (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../src/report/png.ts';
import { repo, riskgate } from '../fixtures/cli.ts';
import { startNode, type RunningNode } from '../fixtures/running-node.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = path.join(repo, 'test/artifacts');

/** Two paper accounts; a daily loss limit one ES spread (12.50) exceeds. */
const CONFIG = `
risk:
  rules:
    RULE-001: { limit: 5 }
    RULE-003: { limit: '10' }
paper:
  accounts: [{ id: PAPER-1, balance: '50000' }, { id: PAPER-2, balance: '50000' }]
`;

export interface Gateway {
  readonly dataDir: string;
  readonly url: string;
  node: RunningNode;
  key(role: 'admin' | 'trader' | 'viewer', accounts?: string): Promise<string>;
  /** Stops the node and starts it again on the same port and data dir. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Quotes every 4 s: two clicks in a row fill on the same quote, so a round trip costs exactly the spread. */
const FEED_MS = '4000';

async function start(
  dataDir: string,
  port: string,
  args: readonly string[],
): Promise<{ node: RunningNode; url: string }> {
  const node = await startNode([
    ...args,
    '--data-dir',
    dataDir,
    '--config',
    path.join(dataDir, 'riskgate.yaml'),
    '--feed-ms',
    FEED_MS,
    '--port',
    port,
  ]);
  const url = /"msg":"API on (http:\/\/[^ ]+) /.exec(node.output())?.[1];
  if (!url) throw new Error(`riskgate start did not listen:\n${node.output()}`);
  return { node, url };
}

/** Builds the dashboard unless web/dist is up to date (what `npm test` does first anyway). */
export function buildDashboard(): void {
  const script = "import('./scripts/build-web.mjs').then((m) => m.buildWeb(process.cwd()))";
  execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repo, stdio: 'inherit' });
}

/** `args`: more `riskgate start` options, e.g. `['--mode', 'shadow']`. */
export async function startGateway(args: readonly string[] = []): Promise<Gateway> {
  buildDashboard();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rg-browser-'));
  writeFileSync(path.join(dataDir, 'riskgate.yaml'), CONFIG);
  const first = await start(dataDir, '0', args);
  const gw: Gateway = {
    dataDir,
    url: first.url,
    node: first.node,
    async key(role, accounts) {
      const args = ['admin', 'apikey', 'create', '--role', role, '--data-dir', dataDir];
      const r = await riskgate(accounts ? [...args, '--accounts', accounts] : args);
      if (r.code !== 0) throw new Error(`apikey create failed: ${r.stderr}`);
      return r.stdout.trim().split('\n').pop()!.trim();
    },
    async restart() {
      await gw.node.stop();
      gw.node = (await start(dataDir, new URL(gw.url).port, args)).node;
    },
    stop: async () => void (await gw.node.stop()),
  };
  return gw;
}

export async function launchBrowser(): Promise<Browser> {
  return launchChromium(CHROMIUM);
}

/** A fresh page logged in with `key` (its own context: its own session storage). */
export async function loggedIn(browser: Browser, url: string, key: string, width = 1280, height = 800): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Log in' }).click();
  await waitText(page.getByTestId('link-state'), /^live$/);
  return page;
}

/** Polls the locator's text until it matches (no fixed sleeps). */
export async function waitText(locator: Locator, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    last =
      (await locator
        .first()
        .textContent({ timeout: 1_000 })
        .catch(() => null)) ?? '';
    if (pattern.test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${pattern}; last text: ${JSON.stringify(last)}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}
