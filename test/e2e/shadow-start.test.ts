/**
 * `riskgate start --mode shadow` end to end (issue 18): the paper broker fed by the bundled data,
 * the demo trader trading without stops; riskgate watches, enforces nothing, and its shadow report
 * (API) and daily report (CLI) say what it would have done. A store keeps its mode: starting it
 * again in enforce mode is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readLocalAccess } from '../../src/server/local-admin.ts';
import { startNode } from '../fixtures/running-node.ts';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const cli = (...args: string[]) =>
  spawnSync('node', ['bin/riskgate.mjs', ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });

interface ShadowReport {
  mode: string;
  wouldHaveClosed: { rule: string; action: string; symbol?: string }[];
  wouldHaveRejected: { rule: string; orderId: string }[];
  trades: number;
}

test('start --mode shadow: the would-have report of the bundled-data paper session, nothing enforced', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-shadow-start-'));
  const dataDir = path.join(dir, 'data');
  const cfg = path.join(dir, 'shadow.yaml');
  writeFileSync(cfg, 'risk:\n  rules:\n    RULE-001: { limit: 5 }\n    RULE-008: { grace: "1s" }\n');
  const gateway = await startNode([
    '--mode',
    'shadow',
    '--config',
    cfg,
    '--data-dir',
    dataDir,
    '--demo',
    '--demo-step-ms',
    '400',
    '--feed-ms',
    '100',
  ]);
  let report: ShadowReport | undefined;
  try {
    assert.match(gateway.output(), /shadow mode/);
    const access = readLocalAccess(dataDir)!;
    const get = async (route: string) =>
      (await fetch(access.api.url + route, { headers: { 'x-api-key': access.key } })).json() as Promise<ShadowReport>;
    for (let waited = 0; waited < 30_000; waited += 250) {
      report = await get('/api/v1/accounts/PAPER-1/shadow-report');
      if (report.wouldHaveClosed.length > 0 && report.wouldHaveRejected.length > 0) break;
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    assert.equal(await gateway.stop(), 0, gateway.output());
  }
  assert.equal(report?.mode, 'shadow');
  // The demo's 2 lots without a stop: RULE-008 would have closed them; its 8-lot order would have been rejected.
  assert.ok(
    report.wouldHaveClosed.some((b) => b.rule === 'RULE-008' && b.symbol === 'MES'),
    JSON.stringify(report),
  );
  assert.ok(
    report.wouldHaveRejected.some((r) => r.rule === 'RULE-001'),
    JSON.stringify(report),
  );
  assert.ok(!/enforcement .*requested/i.test(gateway.output()), 'no enforcement in shadow mode');

  const daily = cli('report', 'daily', 'PAPER-1', '--data-dir', dataDir);
  assert.equal(daily.status, 0, daily.stderr);
  const r = JSON.parse(daily.stdout) as { mode: string; trades: number; breaches: { rule: string }[] };
  assert.equal(r.mode, 'shadow');
  assert.ok(r.trades >= 1);
  assert.ok(r.breaches.some((b) => b.rule === 'RULE-008'));
  const html = cli('report', 'daily', 'PAPER-1', '--data-dir', dataDir, '--format', 'html');
  assert.match(html.stdout, /<h1>Daily report: PAPER-1/);

  const enforce = cli(
    'start',
    '--mode',
    'enforce',
    '--config',
    cfg,
    '--data-dir',
    dataDir,
    '--port',
    '0',
    '--run-for',
    '100',
  );
  assert.equal(enforce.status, 1);
  assert.match(enforce.stderr, /ERR_INPUT_INVALID: --mode enforce: the store in .* runs in shadow mode/);
});
