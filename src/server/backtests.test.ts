/**
 * Backtest jobs: one at a time in arrival order, a bounded queue (ERR_BACKTEST_BUSY), the newest
 * finished jobs kept, a failing runner recorded as a failed job, and close() stopping the rest.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../errors.ts';
import { BacktestJobs, type JobRunner } from './backtests.ts';
import type { BacktestInput } from './backtest-job.ts';

const input = (strategy: string): BacktestInput => ({ strategy, dataPath: '/dev/null' });

/** A runner whose jobs finish when the test says so. */
function manual() {
  const started: string[] = [];
  const finish = new Map<string, (ok: boolean) => void>();
  const aborted: string[] = [];
  const runner: JobRunner = (i, signal) =>
    new Promise((resolve) => {
      started.push(i.strategy);
      signal.addEventListener('abort', () => {
        aborted.push(i.strategy);
        resolve({ ok: false, code: 'ERR_SERVER_INTERNAL', message: 'stopped' });
      });
      finish.set(i.strategy, (ok) =>
        resolve(
          ok
            ? { ok: true, json: `{"s":"${i.strategy}"}`, html: '' }
            : { ok: false, code: 'ERR_BACKTEST_INPUT', message: 'bad bars' },
        ),
      );
    });
  return { runner, started, finish, aborted };
}

test('jobs run one at a time in order; results and failures are kept per job', async () => {
  const m = manual();
  const jobs = new BacktestJobs(m.runner, 1, 50, 20, () => 0);
  const a = jobs.start('k1', input('a'));
  const b = jobs.start('k1', input('b'));
  assert.deepEqual(m.started, ['a']);
  assert.equal(jobs.get(b.id)!.status, 'queued');
  m.finish.get('a')!(true);
  await jobs.finished(a.id);
  assert.equal(jobs.get(a.id)!.status, 'done');
  assert.equal(jobs.get(a.id)!.report, '{"s":"a"}');
  assert.deepEqual(m.started, ['a', 'b']);
  m.finish.get('b')!(false);
  await jobs.finished(b.id);
  assert.deepEqual(jobs.get(b.id)!.error, { code: 'ERR_BACKTEST_INPUT', message: 'bad bars' });
  assert.equal(jobs.pending, 0);
});

test('a full queue refuses with ERR_BACKTEST_BUSY; only the newest finished jobs are kept', async () => {
  const m = manual();
  const jobs = new BacktestJobs(m.runner, 1, 2, 2, () => 0);
  const first = jobs.start('k', input('j0'));
  jobs.start('k', input('j1'));
  jobs.start('k', input('j2'));
  assert.throws(
    () => jobs.start('k', input('j3')),
    (e) => isAppError(e) && e.code === 'ERR_BACKTEST_BUSY',
  );
  for (const s of ['j0', 'j1', 'j2']) {
    m.finish.get(s)!(true);
    await new Promise((r) => setImmediate(r));
  }
  const later = jobs.start('k', input('j4'));
  assert.equal(jobs.get(first.id), undefined, 'the oldest finished job is forgotten');
  assert.ok(jobs.get(later.id));
});

test('close() stops the running job and drops the queued ones', async () => {
  const m = manual();
  const jobs = new BacktestJobs(m.runner);
  const a = jobs.start('k', input('a'));
  const b = jobs.start('k', input('b'));
  jobs.close();
  await jobs.finished(a.id);
  await jobs.finished(b.id);
  assert.deepEqual(m.aborted, ['a']);
  assert.equal(jobs.get(a.id)!.status, 'failed');
  assert.equal(jobs.get(b.id)!.status, 'failed');
  assert.deepEqual(m.started, ['a'], 'the queued job never started');
});
