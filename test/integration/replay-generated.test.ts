/**
 * Replay of a generated multi-day, multi-account file crossing the DST change of 2026-11-01 and
 * Thanksgiving, checked against an independent reference: unit-by-unit FIFO in integer cents and
 * trading-day labels from Intl (not luxon).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateEvents } from '../fixtures/generate-events.ts';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const POINT_VALUE_CENTS: Record<string, bigint> = { MNQ: 200n, ES: 5000n, CL: 100000n };
const TICK_DECIMALS: Record<string, number> = { MNQ: 2, ES: 2, CL: 2 };

const fmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Chicago',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
function referenceLabel(ts: string): string {
  const parts = Object.fromEntries(fmt.formatToParts(new Date(ts)).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  if (Number(parts.hour) < 17) return date;
  const next = new Date(`${date}T12:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** Price in 1/100 points as bigint. */
const cents = (p: string) => BigInt(Math.round(Number(p) * 10 ** TICK_DECIMALS.MNQ!));
const money = (c: bigint) => {
  // c is in 1/10000 of a currency unit (price cents × value cents)
  const neg = c < 0n;
  const a = neg ? -c : c;
  const s = `${a / 10000n}.${(a % 10000n).toString().padStart(4, '0')}`.replace(/\.?0+$/, '');
  return (neg ? '-' : '') + (s || '0');
};

test('generated month of trading across DST end and Thanksgiving matches an independent FIFO reference', () => {
  const events = [
    ...generateEvents({
      seed: 7,
      start: '2026-10-28T12:00:00.000Z',
      end: '2026-11-28T12:00:00.000Z',
      accounts: ['A1', 'A2', 'A3'],
      symbols: [
        { symbol: 'MNQ', price: 18000, tick: 0.25 },
        { symbol: 'ES', price: 5200, tick: 0.25 },
        { symbol: 'CL', price: 70, tick: 0.01 },
      ],
      stepMs: 600_000,
    }),
  ];
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-gen-'));
  const file = path.join(dir, 'events.ndjson');
  writeFileSync(file, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(path.join(dir, 'cfg.yaml'), 'timezone: America/Chicago\nresetTime: "17:00"\n');
  const report = JSON.parse(
    execFileSync('node', ['bin/riskgate.mjs', 'replay', file, '--config', path.join(dir, 'cfg.yaml')], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    }),
  );
  assert.equal(report.events, events.length);

  // Reference: expand lots into single units, FIFO queue per (account, symbol).
  const queues = new Map<string, { side: number; price: bigint }[]>();
  const days = new Map<string, { gross: bigint; fees: bigint; fills: number }>();
  for (const e of events) {
    if (e.type !== 'fill') continue;
    const key = `${e.account}|${e.symbol}`;
    const q = queues.get(key) ?? [];
    queues.set(key, q);
    const side = e.side === 'buy' ? 1 : -1;
    const price = cents(e.price as string);
    const label = `${e.account}|${referenceLabel(e.ts as string)}`;
    const d = days.get(label) ?? { gross: 0n, fees: 0n, fills: 0 };
    days.set(label, d);
    d.fills++;
    d.fees += cents(e.fee as string) * 100n;
    for (let u = 0; u < (e.qty as number); u++) {
      if (q.length && q[0]!.side !== side) {
        const lot = q.shift()!;
        d.gross += (price - lot.price) * BigInt(lot.side) * POINT_VALUE_CENTS[e.symbol as string]!;
      } else q.push({ side, price });
    }
  }
  let checkedDays = 0;
  const labels = new Set<string>();
  for (const [key, d] of days) {
    const [account, label] = key.split('|') as [string, string];
    labels.add(label);
    const got = report.accounts[account].days[label];
    assert.ok(got, `${key} missing`);
    assert.equal(got.fills, d.fills, key);
    assert.equal(got.grossRealizedPnl, money(d.gross), `${key} gross`);
    assert.equal(got.fees, money(d.fees), `${key} fees`);
    assert.equal(got.netRealizedPnl, money(d.gross - d.fees), `${key} net`);
    checkedDays++;
  }
  assert.ok(checkedDays > 60, `checked ${checkedDays} account-days`);
  assert.ok(labels.has('2026-11-02') && labels.has('2026-11-26'), 'crosses the DST change and Thanksgiving');
  for (const [key, q] of queues) {
    const [account, symbol] = key.split('|') as [string, string];
    const qty = q.reduce((s, l) => s + l.side, 0);
    assert.equal(report.accounts[account].positions[symbol]?.qty ?? 0, qty, key);
  }
});
