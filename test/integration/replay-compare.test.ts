/**
 * `riskgate replay … --config new.yaml --compare old.yaml`: a stricter daily loss limit (RULE-003)
 * under new locks A1 out and rejects its next order; enforce mode also closes at the mark.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'rg-compare-'));
const riskgate = (...args: string[]) =>
  spawnSync('node', ['bin/riskgate.mjs', ...args], { cwd: root, encoding: 'utf8' });

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}
const fill = (ts: string, account: string, id: string, side: string, price: string) =>
  `{"ts":"2026-03-02T${ts}:00.000Z","type":"fill","account":"${account}","orderId":"${id}","fillId":"f-${id}","symbol":"MNQ","side":"${side}","qty":1,"price":"${price}","fee":"0.50"}`;
const events = file(
  'events.ndjson',
  [
    '{"ts":"2026-03-02T14:30:00.000Z","type":"account","account":"A1","canTrade":true,"balance":"50000"}',
    fill('14:31', 'A1', 'b1', 'buy', '18000.00'),
    '{"ts":"2026-03-02T14:35:00.000Z","type":"quote","symbol":"MNQ","bid":"17950.00","ask":"17950.25","last":"17950.00"}',
    fill('14:45', 'A1', 's1', 'sell', '17950.00'),
    '{"ts":"2026-03-02T15:00:00.000Z","type":"order","account":"A1","orderId":"o2","symbol":"MNQ","side":"buy","qty":1,"orderType":"market"}',
    fill('15:01', 'A1', 'o2', 'buy', '17960.00'),
    fill('15:10', 'A1', 's3', 'sell', '17970.00'),
    fill('15:20', 'A2', 'b9', 'buy', '18000.00'),
  ].join('\n') + '\n',
);
const oldCfg = file('old.yaml', 'risk:\n  rules:\n    RULE-003: { limit: "1000" }\n');
const newCfg = file('new.yaml', 'risk:\n  rules:\n    RULE-003: { limit: "50" }\n');

const lockout = {
  rule: 'RULE-003',
  ts: '2026-03-02T14:45:00.000Z',
  action: 'close_all',
  until: '2026-03-02T23:00:00.000Z',
};
const rejection = { rule: 'RULE-003', ts: '2026-03-02T15:00:00.000Z', orderId: 'o2' };

function compare(mode: string, ...more: string[]) {
  const r = riskgate('replay', events, '--config', newCfg, '--compare', oldCfg, '--mode', mode, ...more);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

test('shadow: the lockout and the rejection appear under new; recorded fills keep P&L equal', () => {
  const c = JSON.parse(compare('shadow'));
  assert.equal(c.mode, 'shadow');
  assert.equal(c.events, 8);
  assert.deepEqual(Object.keys(c.accounts), ['A1'], 'A2 has no difference');
  assert.deepEqual(c.accounts.A1.days['2026-03-02'], {
    netRealizedPnl: { old: '-82', new: '-82' },
    breaches: { added: [lockout], removed: [] },
    lockouts: { added: [lockout], removed: [] },
    rejections: { added: [rejection], removed: [] },
  });
});

test('enforce: net realized P&L old → new differs; swapped configs list the same entries as removed', () => {
  const c = JSON.parse(compare('enforce'));
  const d = c.accounts.A1.days['2026-03-02'];
  assert.deepEqual(d.netRealizedPnl, { old: '-82', new: '-61.5' });
  assert.deepEqual(d.rejections.added, [rejection]);
  const r = riskgate('replay', events, '--config', oldCfg, '--compare', newCfg, '--mode', 'enforce');
  assert.equal(r.status, 0, r.stderr);
  const back = JSON.parse(r.stdout).accounts.A1.days['2026-03-02'];
  assert.deepEqual(back.netRealizedPnl, { old: '-61.5', new: '-82' });
  assert.deepEqual(back.lockouts, { added: [], removed: [lockout] });
  assert.deepEqual(back.rejections, { added: [], removed: [rejection] });
});

test('--report text marks additions and the P&L change; --html writes the page with a chart per account', () => {
  const html = path.join(dir, 'compare.html');
  const text = compare('enforce', '--report', 'text', '--html', html);
  assert.match(text, /^Account A1$/m);
  assert.doesNotMatch(text, /Account A2/);
  assert.match(text, /^ {2}2026-03-02 {2}net -82 → -61.5 \(\+20.5\)$/m);
  assert.match(
    text,
    /^ {4}\+ breach RULE-003 close_all at 2026-03-02T14:45:00.000Z until 2026-03-02T23:00:00.000Z \(lockout\)$/m,
  );
  assert.match(text, /^ {4}\+ reject RULE-003 order o2 at 2026-03-02T15:00:00.000Z$/m);
  const page = readFileSync(html, 'utf8');
  assert.match(page, /^<!doctype html>/);
  assert.match(page, /Account A1/);
  const data = JSON.parse(
    /<script type="application\/json" id="rg-report-data">(.*?)<\/script>/.exec(page)?.[1] ?? '{}',
  );
  assert.deepEqual(data.charts[0].data.points, [{ time: '2026-03-02', value: '-61.5' }]);
  assert.deepEqual(data.charts[0].data.benchmark, [{ time: '2026-03-02', value: '-82' }]);
  assert.deepEqual(data.charts[0].data.breaches, [{ time: '2026-03-02', label: 'RULE-003' }]);
  assert.doesNotMatch(page, /<link|<script[^>]*\ssrc=|<img|@import/);
});

test('the same config on both sides compares to no differences; a plain replay is unchanged', () => {
  const r = riskgate('replay', events, '--config', newCfg, '--compare', newCfg);
  assert.deepEqual(JSON.parse(r.stdout).accounts, {});
  const plain = JSON.parse(riskgate('replay', events, '--config', newCfg).stdout);
  assert.ok(plain.hash && !('mode' in plain), 'the replay report keeps its shape');
});

test('--compare refuses --out and --journal; a plain replay --html writes the report page', () => {
  const out = riskgate('replay', events, '--config', newCfg, '--compare', oldCfg, '--out', path.join(dir, 'd.ndjson'));
  assert.equal(out.status, 1);
  assert.match(out.stderr, /ERR_INPUT_INVALID.*--out and --journal cannot be used with --compare/);
  const html = riskgate('replay', events, '--config', newCfg, '--html', path.join(dir, 'x.html'));
  assert.equal(html.status, 0, html.stderr);
  const plain = riskgate('replay', events, '--config', newCfg);
  assert.equal(html.stdout, plain.stdout, 'the JSON report is the same with --html');
  const page = readFileSync(path.join(dir, 'x.html'), 'utf8');
  assert.match(page, /<h2>Account A1<\/h2>/);
  assert.match(page, /<tr><td>2026-03-02<\/td><td>-80<\/td><td>2<\/td><td class="rm">-82<\/td><td>4<\/td><td>1<\/td>/);
  const missing = riskgate('replay', events, '--config', newCfg, '--compare', path.join(dir, 'nope.yaml'));
  assert.equal(missing.status, 1);
});
