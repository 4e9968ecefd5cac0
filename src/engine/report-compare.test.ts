import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareReports, diffEntries, formatComparisonText, pnlChange } from './report-compare.ts';
import { comparisonHtml } from './report-compare-html.ts';
import type { DayReport, ReplayReport } from './report.ts';

function day(net: string, extra: Partial<DayReport> = {}): DayReport {
  return { grossRealizedPnl: net, fees: '0', netRealizedPnl: net, fills: 1, breaches: [], rejections: [], ...extra };
}
function report(accounts: Record<string, Record<string, DayReport>>, events = 5): ReplayReport {
  const out: ReplayReport['accounts'] = {};
  for (const [id, days] of Object.entries(accounts)) out[id] = { days, positions: {} };
  return { accounts: out, events, hash: 'h' };
}
const lock = {
  rule: 'RULE-003',
  ts: '2026-03-02T15:00:00.000Z',
  action: 'close_all',
  until: '2026-03-02T23:00:00.000Z',
};
const stop = { rule: 'RULE-004', ts: '2026-03-02T14:00:00.000Z', action: 'close_position', symbol: 'MNQ' };
const reject = { rule: 'RULE-003', ts: '2026-03-02T15:10:00.000Z', orderId: 'o2' };

test('identical reports compare to no accounts', () => {
  const r = report({ A1: { '2026-03-02': day('-10', { breaches: [stop], rejections: [reject] }) } });
  const c = compareReports(r, structuredClone(r), 'shadow');
  assert.deepEqual(c, { mode: 'shadow', accounts: {}, events: 5 });
  assert.match(formatComparisonText(c), /^no differences$/m);
});

test('a breach and rejection only under new are added; lockouts are the added breaches with until', () => {
  const prev = report({ A1: { '2026-03-02': day('-82', { breaches: [stop] }) } });
  const next = report({ A1: { '2026-03-02': day('-61.5', { breaches: [stop, lock], rejections: [reject] }) } });
  const d = compareReports(prev, next, 'enforce').accounts.A1!.days['2026-03-02']!;
  assert.deepEqual(d.netRealizedPnl, { old: '-82', new: '-61.5' });
  assert.deepEqual(d.breaches, { added: [lock], removed: [] });
  assert.deepEqual(d.lockouts, { added: [lock], removed: [] });
  assert.deepEqual(d.rejections, { added: [reject], removed: [] });
});

test('entries only under old are removed; a moved breach is removed at one time and added at the other', () => {
  const later = { ...lock, ts: '2026-03-02T16:00:00.000Z' };
  const prev = report({ A1: { '2026-03-02': day('-5', { breaches: [lock], rejections: [reject] }) } });
  const next = report({ A1: { '2026-03-02': day('-5', { breaches: [later] }) } });
  const d = compareReports(prev, next, 'shadow').accounts.A1!.days['2026-03-02']!;
  assert.deepEqual(d.breaches, { added: [later], removed: [lock] });
  assert.deepEqual(d.rejections, { added: [], removed: [reject] });
  const text = formatComparisonText(compareReports(prev, next, 'shadow'));
  assert.match(text, /^ {2}2026-03-02 {2}net -5 \(same\)$/m);
  assert.match(text, /^ {4}- reject RULE-003 order o2 at 2026-03-02T15:10:00.000Z$/m);
  assert.match(text, /^ {4}\+ breach RULE-003 close_all at 2026-03-02T16:00:00.000Z until .* \(lockout\)$/m);
});

test('a day or account present on one side only compares against zero P&L; equal days are left out', () => {
  const prev = report({ A1: { '2026-03-02': day('-3'), '2026-03-03': day('7') }, A2: { '2026-03-02': day('1') } });
  const next = report({ A1: { '2026-03-02': day('-3.00') }, A3: { '2026-03-04': day('2') } });
  const c = compareReports(prev, next, 'shadow');
  assert.deepEqual(Object.keys(c.accounts), ['A1', 'A2', 'A3']);
  assert.deepEqual(Object.keys(c.accounts.A1!.days), ['2026-03-03'], 'equal amounts in other spellings are equal');
  assert.deepEqual(c.accounts.A1!.days['2026-03-03']!.netRealizedPnl, { old: '7', new: '0' });
  assert.deepEqual(c.accounts.A3!.days['2026-03-04']!.netRealizedPnl, { old: '0', new: '2' });
});

test('diffEntries counts repeats; pnlChange is signed new − old', () => {
  assert.deepEqual(diffEntries([1, 1, 2], [1, 3, 3], String), { added: [3, 3], removed: [1, 2] });
  assert.equal(pnlChange({ old: '-82', new: '-61.5' }), '+20.5');
  assert.equal(pnlChange({ old: '10', new: '2.25' }), '-7.75');
  assert.equal(pnlChange({ old: '1', new: '1.0' }), '0');
});

test('the HTML page escapes text and holds no script or external asset', () => {
  const prev = report({ 'A<1>': { '2026-03-02': day('1') } });
  const next = report({ 'A<1>': { '2026-03-02': day('2', { rejections: [reject] }) } });
  const html = comparisonHtml(compareReports(prev, next, 'shadow'), { old: 'old.yaml', new: 'new.yaml' });
  assert.match(html, /Account A&#60;1&#62;/);
  assert.match(html, /<li class="add">\+ reject RULE-003 order o2/);
  assert.match(html, /<td class="add">\+1<\/td>/);
  assert.doesNotMatch(html, /<script|https?:|src=/);
});
