/** The readiness score (DESIGN §5): 80 × pass rate + 20 × share of suites fully passing, ready at 85. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readinessScore, readinessText, runReadiness, type ReadinessCheck } from './readiness.ts';

const pass = (name: string): ReadinessCheck => ({ name, run: async () => undefined });
const fail = (name: string, why = 'broken'): ReadinessCheck => ({
  name,
  run: async () => {
    throw new Error(why);
  },
});

describe('readiness score', () => {
  it('all checks passing scores 100 and is ready', async () => {
    const r = await runReadiness('x', [
      { name: 'a', checks: [pass('1'), pass('2')] },
      { name: 'b', checks: [pass('3')] },
    ]);
    assert.equal(r.score, 100);
    assert.equal(r.ready, true);
    assert.deepEqual(r.failing, []);
  });

  it('one failing check of 10 in one of 2 suites: 80 × 0.9 + 20 × 0.5 = 82, not ready, the failure listed', async () => {
    const r = await runReadiness('x', [
      { name: 'contract', checks: [pass('1'), pass('2'), pass('3'), pass('4'), pass('5')] },
      { name: 'faults', checks: [pass('6'), pass('7'), pass('8'), pass('9'), fail('lost answer', 'sent twice')] },
    ]);
    assert.equal(r.score, 82);
    assert.equal(r.ready, false);
    assert.deepEqual(r.failing, [{ suite: 'faults', check: 'lost answer', error: 'sent twice' }]);
    assert.match(readinessText(r), /FAIL lost answer .*sent twice/);
    assert.match(readinessText(r), /score 82\/100 \(9\/10 checks, 1\/2 suites fully passing\): NOT READY/);
  });

  it('exactly 85 is ready; a check that never settles times out and fails', async () => {
    // 16 of 17 checks in 3 of 4 suites: 80 × 16/17 + 15 = 90.3
    assert.equal(
      readinessScore([
        { name: 'a', passed: 5, total: 5, checks: [] },
        { name: 'b', passed: 5, total: 5, checks: [] },
        { name: 'c', passed: 3, total: 3, checks: [] },
        { name: 'd', passed: 3, total: 4, checks: [] },
      ]),
      90.3,
    );
    // 7 of 8 checks in 3 of 4 suites: 80 × 7/8 + 20 × 3/4 = 70 + 15 = 85, ready
    const at85 = await runReadiness('x', [
      { name: 'a', checks: [pass('1'), pass('2')] },
      { name: 'b', checks: [pass('3'), pass('4')] },
      { name: 'c', checks: [pass('5'), pass('6')] },
      { name: 'd', checks: [pass('7'), fail('8')] },
    ]);
    assert.equal(at85.score, 85);
    assert.equal(at85.ready, true);
    assert.equal(readinessScore([{ name: 'a', passed: 0, total: 0, checks: [] }]), 0);
    const r = await runReadiness('x', [{ name: 's', checks: [{ name: 'hangs', run: () => new Promise(() => {}) }] }], {
      timeoutMs: 50,
    });
    assert.equal(r.score, 0);
    assert.match(r.failing[0]!.error, /timed out after 50 ms/);
  });
});
