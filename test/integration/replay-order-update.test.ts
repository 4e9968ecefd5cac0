/**
 * `riskgate replay` of venue-side order changes and resent fills (DESIGN §4), shadow and enforce:
 * a change that adds exposure is checked and, rejected, listed under the day's `rejections` and
 * answered by cancelling the order; one that only reduces risk passes; a duplicate fill is booked
 * once and counted on stderr.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { riskgate } from '../fixtures/cli.ts';

const T = (hhmm: string) => `2026-04-07T${hhmm}:00.000Z`;
const EVENTS = [
  { ts: T('14:00'), type: 'quote', symbol: 'MNQ', last: '18000' },
  // A1: 2 working, raised to 4 at the venue (RULE-001 limit 3), then filled in full.
  {
    ts: T('14:01'),
    type: 'order',
    account: 'A1',
    orderId: 'o1',
    symbol: 'MNQ',
    side: 'buy',
    qty: 2,
    orderType: 'limit',
    price: '18000',
    stopPrice: '17990',
  },
  { ts: T('14:02'), type: 'order_update', account: 'A1', orderId: 'o1', qty: 4 },
  {
    ts: T('14:03'),
    type: 'fill',
    account: 'A1',
    orderId: 'o1',
    fillId: 'f1',
    symbol: 'MNQ',
    side: 'buy',
    qty: 4,
    price: '18000',
  },
  // A2: a stop moved closer and a limit moved pass; the stop moved away beyond the loss room does not (RULE-015).
  {
    ts: T('14:04'),
    type: 'order',
    account: 'A2',
    orderId: 'p1',
    symbol: 'MNQ',
    side: 'buy',
    qty: 1,
    orderType: 'limit',
    price: '18000',
    stopPrice: '17980',
  },
  { ts: T('14:05'), type: 'order_update', account: 'A2', orderId: 'p1', stopPrice: '17985' },
  { ts: T('14:06'), type: 'order_update', account: 'A2', orderId: 'p1', price: '18005' },
  { ts: T('14:07'), type: 'order_update', account: 'A2', orderId: 'p1', stopPrice: '17940' },
  // A2: a fill resent after a reconnect.
  {
    ts: T('14:08'),
    type: 'fill',
    account: 'A2',
    orderId: 'q1',
    fillId: 'g1',
    symbol: 'MNQ',
    side: 'buy',
    qty: 1,
    price: '18000',
  },
  {
    ts: T('14:09'),
    type: 'fill',
    account: 'A2',
    orderId: 'q2',
    fillId: 'g2',
    symbol: 'MNQ',
    side: 'sell',
    qty: 1,
    price: '18002',
  },
  {
    ts: T('14:10'),
    type: 'fill',
    account: 'A2',
    orderId: 'q2',
    fillId: 'g2',
    symbol: 'MNQ',
    side: 'sell',
    qty: 1,
    price: '18002',
  },
];
const CONFIG = 'risk:\n  rules:\n    RULE-001: { limit: 3 }\n    RULE-003: { limit: "100" }\n    RULE-015: {}\n';

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rg-order-update-'));
  writeFileSync(path.join(dir, 'events.ndjson'), EVENTS.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(path.join(dir, 'riskgate.yaml'), CONFIG);
});
after(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  accounts: Record<
    string,
    {
      days: Record<string, { fills: number; netRealizedPnl: string; rejections: unknown[] }>;
      positions: Record<string, { qty: number }>;
    }
  >;
  events: number;
}

async function replay(
  mode: 'shadow' | 'enforce',
): Promise<{ report: Report; stderr: string; decisions: { rule: string; orderId?: string; outcomes: unknown[] }[] }> {
  const out = path.join(dir, `decisions-${mode}.ndjson`);
  const r = await riskgate([
    'replay',
    path.join(dir, 'events.ndjson'),
    '--config',
    path.join(dir, 'riskgate.yaml'),
    '--mode',
    mode,
    '--report',
    'json',
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const decisions = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { rule: string; orderId?: string; outcomes: unknown[] });
  return { report: JSON.parse(r.stdout) as Report, stderr: r.stderr, decisions };
}

describe('riskgate replay: order_update and duplicate fills', () => {
  for (const mode of ['shadow', 'enforce'] as const) {
    it(`${mode}: rejected changes are listed under rejections and cancel their order; the resent fill is booked once`, async () => {
      const { report, stderr, decisions } = await replay(mode);
      assert.equal(report.events, EVENTS.length);
      const a1 = report.accounts.A1!;
      const a2 = report.accounts.A2!;
      assert.deepEqual(a1.days['2026-04-07']!.rejections, [{ rule: 'RULE-001', ts: T('14:02'), orderId: 'o1' }]);
      assert.deepEqual(a2.days['2026-04-07']!.rejections, [{ rule: 'RULE-015', ts: T('14:07'), orderId: 'p1' }]);
      const cancels = decisions.filter((d) => d.outcomes.some((o) => (o as { kind: string }).kind === 'cancel_order'));
      assert.deepEqual(
        cancels.map((d) => [d.rule, d.orderId, d.outcomes]),
        [
          [
            'RULE-001',
            'o1',
            [
              { kind: 'reject', orderId: 'o1', code: 'MAX_CONTRACTS' },
              { kind: 'cancel_order', orderId: 'o1' },
            ],
          ],
          [
            'RULE-015',
            'p1',
            [
              { kind: 'reject', orderId: 'p1', code: 'PROJECTED_LOSS' },
              { kind: 'cancel_order', orderId: 'p1' },
            ],
          ],
        ],
      );
      // Shadow: the venue's fill of the changed order is a fact. Enforce: riskgate cancelled it.
      assert.deepEqual(a1.positions, mode === 'shadow' ? { MNQ: a1.positions.MNQ } : {});
      if (mode === 'shadow') assert.equal(a1.positions.MNQ!.qty, 4);
      // A2 bought 1 and sold 1 (the resent sell is not booked again): flat, +4 realized, 2 fills.
      assert.deepEqual(a2.positions, {});
      assert.equal(a2.days['2026-04-07']!.fills, 2);
      assert.equal(a2.days['2026-04-07']!.netRealizedPnl, '4');
      assert.match(stderr, /replay: ignored 1 duplicate fill\(s\)/);
    });
  }
});
