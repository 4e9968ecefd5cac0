/**
 * The job registry's progress and answers: a runner's progress is kept while it runs and full
 * when it succeeds, a kind is answered, a throwing runner is a failed job, and another owner's
 * job is the one 404.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAppError } from '../errors.ts';
import { JobRegistry, jobJson, visibleJob, type JobProgress } from './jobs.ts';

test('progress is what the runner last reported, full once done; the report is parsed', async () => {
  let report!: JobProgress;
  let finish!: () => void;
  const jobs = new JobRegistry<string>({
    prefix: 'xx',
    what: 'test',
    busy: 'ERR_JOB_BUSY',
    now: () => 0,
    runner: (_input, _signal, progress) => {
      report = progress;
      return new Promise((resolve) => (finish = () => resolve({ ok: true, json: '{"a":1}' })));
    },
  });
  const job = jobs.start('k1', 'in', 'sweep');
  assert.match(job.id, new RegExp(jobs.idPattern));
  report(3, 10);
  assert.deepEqual(jobJson(job), {
    id: job.id,
    kind: 'sweep',
    status: 'running',
    createdAt: '1970-01-01T00:00:00.000Z',
    progress: { done: 3, total: 10 },
  });
  finish();
  await jobs.finished(job.id);
  assert.deepEqual(jobJson(job).progress, { done: 10, total: 10 });
  assert.deepEqual(jobJson(job).report, { a: 1 });
  assert.equal(visibleJob(jobs, job.id, { id: 'k1', role: 'viewer' }, 'ERR_JOB_UNKNOWN', 'job'), job);
  assert.equal(visibleJob(jobs, job.id, { id: 'k2', role: 'admin' }, 'ERR_JOB_UNKNOWN', 'job'), job);
  assert.throws(
    () => visibleJob(jobs, job.id, { id: 'k2', role: 'trader' }, 'ERR_JOB_UNKNOWN', 'job'),
    (e) => isAppError(e) && e.code === 'ERR_JOB_UNKNOWN' && e.status === 404,
  );
});

test('a runner that throws is a failed job, and the next one still runs', async () => {
  const jobs = new JobRegistry<boolean>({
    prefix: 'xx',
    what: 'test',
    busy: 'ERR_JOB_BUSY',
    runner: (explode) => {
      if (explode) throw new Error('boom');
      return Promise.resolve({ ok: true, json: '{}' });
    },
  });
  const a = jobs.start('k', true);
  const b = jobs.start('k', false);
  await jobs.finished(a.id);
  await jobs.finished(b.id);
  assert.equal(jobs.get(a.id)!.status, 'failed');
  assert.equal(jobs.get(a.id)!.error!.code, 'ERR_SERVER_INTERNAL');
  assert.equal(jobs.get(b.id)!.status, 'done');
});
