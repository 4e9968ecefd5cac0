/**
 * `riskgate smoke --config <cfg>` against a configured venue, here the fake ProjectX Gateway: the 8
 * checkpoints in a dry run that sends no order, and with `--live-orders` a real 1-lot that the
 * smoke's flatten closes, confirmed by the venue.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startFakeProjectX, type FakeProjectX } from '../../src/adapters/projectx/fake/server.ts';
import { CHECKPOINTS } from '../../src/node/gateway-smoke.ts';
import { riskgate } from '../fixtures/cli.ts';

async function venue(t: { after(f: () => Promise<void>): void }): Promise<{ fake: FakeProjectX; cfg: string }> {
  const fake = await startFakeProjectX();
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-smoke-px-'));
  t.after(async () => {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(path.join(dir, 'px.key'), 'key-123\n');
  const cfg = path.join(dir, 'riskgate.yaml');
  writeFileSync(
    cfg,
    `risk:
  rules:
    RULE-003: { limit: "500" }
    RULE-001: { limit: 3 }
broker:
  kind: projectx
  baseUrl: ${fake.url}
  marketHubUrl: ${fake.marketHubUrl}
  username: trader
  apiKeyFile: ${path.join(dir, 'px.key')}
  accounts: { "7001": TX1 }
`,
  );
  await fake.setMarket('MNQ', '100.00', '100.25');
  return { fake, cfg };
}

const checkpoints = (lines: string[]) =>
  lines.slice(0, 8).map((l) => /^smoke: \[(\d)\/8\] ([a-z ]+):/.exec(l)?.slice(1, 3).join(' '));

test('smoke --config <venue>: dry run by default, 8 checkpoints, no order reaches the venue; exit 0', async (t) => {
  const { fake, cfg } = await venue(t);
  const r = await riskgate(['smoke', '--config', cfg, '--timeout', '20']);
  const lines = r.stdout.split('\n').filter(Boolean);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.deepEqual(
    checkpoints(lines),
    CHECKPOINTS.map((c, i) => `${i + 1} ${c}`),
  );
  assert.match(lines[2]!, /projectx venue reachable, logged in: TX1 canTrade true balance 50000/);
  assert.match(lines[6]!, /RULE-003 .* of 500/);
  assert.match(lines[7]!, /close_all|cancel_orders/);
  assert.match(
    lines[8]!,
    /dry run\): journaled, no venue call; venue unchanged \(positions none; 0 working order\(s\)\)/,
  );
  assert.equal(fake.log.filter((l) => l.path === 'Order/place' || l.path === 'Order/cancel').length, 0);
});

test('smoke --config <venue> --live-orders: buys 1 and flattens it, confirmed by the venue; exit 0', async (t) => {
  const { fake, cfg } = await venue(t);
  const r = await riskgate(['smoke', '--config', cfg, '--live-orders', '--symbol', 'MNQ', '--timeout', '20']);
  const lines = r.stdout.split('\n').filter(Boolean);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(checkpoints(lines).length, 8);
  assert.match(lines[8]!, /enforcement confirmed by the venue: TX1 MNQ position 0/);
  assert.equal(fake.venue.orderCount(7001), 2, 'the entry and its close');
  assert.equal(fake.venue.paper.exchange.positionQty('7001', 'MNQ'), 0n);
});
