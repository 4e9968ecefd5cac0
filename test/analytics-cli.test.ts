/**
 * Contract test of the `riskgate analytics` CLI (DESIGN §5): spawns the real binary and checks
 * every output line against the QuantLib reference file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const optionsDir = path.resolve(repoRoot, '../shared/data/options');
const greeksCsv = path.join(optionsDir, 'greeks_reference.csv');

function riskgate(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['bin/riskgate.mjs', ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function parseCsv(text: string): Record<string, string>[] {
  const [head, ...lines] = text.trim().split(/\r?\n/);
  const cols = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i]!, v])));
}

function close(actual: unknown, expected: number): boolean {
  return typeof actual === 'number' && Math.abs(actual - expected) <= Math.max(1e-6 * Math.abs(expected), 1e-8);
}

test('analytics greeks --csv greeks_reference.csv: one JSON line per row, every value within tolerance', () => {
  const r = riskgate('analytics', 'greeks', '--csv', greeksCsv);
  assert.equal(r.status, 0, r.stderr);
  const expected = parseCsv(readFileSync(greeksCsv, 'utf8'));
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, expected.length);
  lines.forEach((line, i) => {
    const out = JSON.parse(line) as Record<string, unknown>;
    const e = expected[i]!;
    assert.equal(out.id, e.id);
    const keys = ['id', 'price', 'delta', 'gamma', 'vega', 'theta', 'rho'];
    if (e.iv_check_price !== '') keys.push('iv');
    assert.deepEqual(Object.keys(out), keys, `${e.id}: keys`);
    for (const k of ['price', 'delta', 'gamma', 'vega', 'theta', 'rho']) {
      assert.ok(close(out[k], Number(e[k])), `${e.id} ${k}: ${String(out[k])} vs ${e[k]}`);
    }
    if (e.iv_check_price !== '') {
      assert.ok(
        typeof out.iv === 'number' && Math.abs(out.iv - Number(e.sigma)) <= 1e-6,
        `${e.id} iv: ${String(out.iv)} vs ${e.sigma}`,
      );
    }
  });
});

test('analytics maxpain prints the max-pain strike and minimum payout', () => {
  const file = path.join(optionsDir, 'max_pain_example.json');
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as {
    expected: { max_pain_strike: number; min_total_payout: number };
  };
  const r = riskgate('analytics', 'maxpain', file);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim()), {
    maxPainStrike: fixture.expected.max_pain_strike,
    minTotalPayout: fixture.expected.min_total_payout,
  });
});

test('analytics greeks on a bad row fails naming the row, id and field, with no partial output', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-analytics-'));
  const file = path.join(dir, 'bad.csv');
  writeFileSync(
    file,
    'id,model,type,S_or_F,K,T,r,q,sigma\nref-001,bsm,call,100,100,1,0.05,0,0.2\nref-002,bsm,put,100,100,1,0.05,0,0.2\nref-003,bsm,call,100,0,1,0.05,0,0.2\n',
  );
  const r = riskgate('analytics', 'greeks', '--csv', file);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /row 3 \(id ref-003\): K must be > 0/);
  assert.equal(r.stdout, '');
});

test('analytics iv recovers sigma of a reference row and rejects an arbitrage price', () => {
  const row = parseCsv(readFileSync(greeksCsv, 'utf8')).find((e) => e.iv_check_price !== '' && e.model === 'black76')!;
  const args = [
    'analytics',
    'iv',
    '--model',
    row.model!,
    '--type',
    row.type!,
    '--underlying',
    row.S_or_F!,
    '--strike',
    row.K!,
    '--years',
    row.T!,
    '--rate',
    row.r!,
    '--price',
    row.iv_check_price!,
  ];
  const r = riskgate(...args);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { iv: number; price: number };
  assert.ok(Math.abs(out.iv - Number(row.sigma)) <= 1e-6);
  assert.ok(close(out.price, Number(row.price)));
  const table = riskgate(...args, '--format', 'table');
  assert.match(table.stdout, /^field\s+value\n/);
  const bad = riskgate(
    'analytics',
    'iv',
    '--type',
    'call',
    '--underlying',
    '100',
    '--strike',
    '100',
    '--years',
    '1',
    '--price',
    '150',
  );
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /ERR_ANALYTICS_NO_SOLUTION/);
});

test('analytics var and optimize: JSON lines and tables from CSV files', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-analytics-'));
  const returnsFile = path.join(dir, 'returns.csv');
  const rets = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) / 1000 - 0.05);
  writeFileSync(returnsFile, `date,ret\n${rets.map((x, i) => `d${i},${x}`).join('\n')}\n`);
  const v = riskgate('analytics', 'var', returnsFile, '--method', 'historical', '--confidence', '0.95');
  assert.equal(v.status, 0, v.stderr);
  const est = JSON.parse(v.stdout) as { valueAtRisk: number; expectedShortfall: number };
  // Returns are −0.05 … 0.049 in steps of 0.001: the 5th worst is −0.046, mean of 5 worst −0.048.
  assert.ok(Math.abs(est.valueAtRisk - 0.046) < 1e-12 && Math.abs(est.expectedShortfall - 0.048) < 1e-12);
  assert.match(riskgate('analytics', 'var', returnsFile, '--format', 'table').stdout, /historical\s+0\.950000/);

  const stratFile = path.join(dir, 'strategies.csv');
  // Three uncorrelated-by-construction strategies with volatilities 1 : 2 : 2 (sign patterns orthogonal).
  const a = [1, -1, 1, -1];
  const b = [2, 2, -2, -2];
  const c = [2, -2, -2, 2];
  writeFileSync(stratFile, `a,b,c\n${a.map((_, i) => `${a[i]! / 100},${b[i]! / 100},${c[i]! / 100}`).join('\n')}\n`);
  const o = riskgate('analytics', 'optimize', stratFile, '--method', 'risk-parity', '--max-weight', '1');
  assert.equal(o.status, 0, o.stderr);
  const w = (JSON.parse(o.stdout) as { weights: Record<string, number> }).weights;
  // Uncorrelated risk parity: w ∝ 1/σ → 0.5, 0.25, 0.25.
  assert.ok(
    Math.abs(w.a! - 0.5) < 1e-9 && Math.abs(w.b! - 0.25) < 1e-9 && Math.abs(w.c! - 0.25) < 1e-9,
    JSON.stringify(w),
  );
  const capped = riskgate('analytics', 'optimize', stratFile, '--method', 'min-variance', '--format', 'table');
  assert.equal(capped.status, 0, capped.stderr);
  assert.match(capped.stdout, /^strategy\s+weight/);
  assert.match(capped.stdout, /a\s+0\.400000/);
  const bad = riskgate('analytics', 'optimize', stratFile, '--method', 'nope');
  assert.match(bad.stderr, /--method must be one of/);
});
