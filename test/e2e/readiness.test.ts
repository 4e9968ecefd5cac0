/**
 * `riskgate readiness` as a user runs it (DESIGN §5): the ProjectX adapter's suites against its
 * local fake score ≥ 85 and exit 0; a fault forced on the fake lowers the score, lists the failing
 * checks and exits non-zero.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { riskgate } from '../fixtures/cli.ts';

interface Report {
  broker: string;
  score: number;
  ready: boolean;
  total: number;
  suites: { name: string; passed: number; total: number }[];
  failing: { suite: string; check: string; error: string }[];
}

test('readiness --broker projectx: contract, faults and reconciliation all pass against the fake; exit 0', async () => {
  const r = await riskgate(['readiness', '--broker', 'projectx', '--report', 'json']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const report = JSON.parse(r.stdout) as Report;
  assert.equal(report.broker, 'projectx');
  assert.ok(report.score >= 85, `score ${report.score}`);
  assert.equal(report.ready, true);
  assert.deepEqual(
    report.suites.map((s) => s.name),
    ['contract', 'faults', 'reconciliation'],
  );
  assert.ok(report.total >= 20);
  assert.deepEqual(report.failing, []);
});

test('readiness with a fault forced on the fake: lower score, failing checks listed, exit 1', async () => {
  const r = await riskgate(['readiness', '--broker', 'projectx', '--fault', 'http-500']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  const score = Number(/score ([\d.]+)\/100/.exec(r.stdout)?.[1]);
  assert.ok(score < 85, r.stdout);
  assert.match(r.stdout, /failing checks \(\d+\):/);
  assert.match(r.stdout, /- contract \/ places a resting limit order/);
  assert.match(r.stdout, /NOT READY \(ready at 85\)/);
});

test('readiness --broker paper is ready; an unknown kind or fault is an input error', async () => {
  const paper = await riskgate(['readiness', '--broker', 'paper', '--report', 'json']);
  assert.equal(paper.code, 0, paper.stdout + paper.stderr);
  assert.equal((JSON.parse(paper.stdout) as Report).score, 100);
  const unknown = await riskgate(['readiness', '--broker', 'nope']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /ERR_INPUT_INVALID.*unknown broker kind "nope".*paper, projectx/);
  const fault = await riskgate(['readiness', '--broker', 'paper', '--fault', 'http-500']);
  assert.equal(fault.code, 1);
  assert.match(fault.stderr, /--fault: the paper fake has no fault "http-500"/);
});
