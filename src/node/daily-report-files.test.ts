/**
 * Report files at resets: given a node whose trading day moves on, then the ended day is written
 * once per account; at start, a missed day is written only for accounts that did something.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from './logger.ts';
import { DailyReportWriter, type ReportingNode } from './daily-report-files.ts';
import type { DailyReport } from './daily-report.ts';

function fakeNode(trades: Record<string, number>): ReportingNode & { day: string } {
  const node = {
    day: '2026-03-03',
    accounts: ['A1', 'A/2'],
    get tradingDay() {
      return { label: node.day, start: Date.parse(`${node.day}T00:00:00Z`), end: 0 };
    },
    dayLabelAt: (t: number) => new Date(t).toISOString().slice(0, 10),
    dailyReport: (account: string, date?: string): DailyReport =>
      ({
        account,
        date: date!,
        mode: 'enforce',
        trades: trades[`${account} ${date}`] ?? 0,
        breaches: [],
        rejections: [],
        fills: [],
        slippage: { fills: 0, ticks: '0', money: '0' },
        wouldHave: { closedPositions: [], rejectedOrders: 0 },
      }) as unknown as DailyReport,
  };
  return node;
}

test('the day that ended is written for every account at the reset, once', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-report-files-'));
  const node = fakeNode({ 'A1 2026-03-02': 0 });
  const w = new DailyReportWriter(node, dir, silentLogger());
  assert.deepEqual(w.check(), [], 'a quiet day before the start is not written');
  assert.deepEqual(w.check(), []);
  node.day = '2026-03-04';
  const files = w.check().map((f) => path.relative(dir, f));
  assert.equal(files.length, 8);
  assert.ok(files.includes('A1/2026-03-03.json') && files.includes('A_2/2026-03-03.html'), files.join());
  assert.equal(JSON.parse(readFileSync(path.join(dir, 'A1', '2026-03-03.json'), 'utf8')).date, '2026-03-03');
  assert.deepEqual(w.check(), []);
});

test('at start, a day missed while down is written for the accounts that traded, unless already there', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-report-files-'));
  const node = fakeNode({ 'A1 2026-03-02': 2 });
  assert.deepEqual(
    new DailyReportWriter(node, dir, silentLogger()).check().map((f) => path.relative(dir, f)),
    ['A1/2026-03-02.json', 'A1/2026-03-02.csv', 'A1/2026-03-02.fills.csv', 'A1/2026-03-02.html'],
  );
  assert.ok(!existsSync(path.join(dir, 'A_2')));
  assert.deepEqual(new DailyReportWriter(node, dir, silentLogger()).check(), [], 'written once');
});
