/**
 * API backtest jobs (`POST /api/v1/backtests`, `GET /api/v1/backtests/:id`): the job registry of
 * jobs.ts with a runner that runs each backtest on its own worker thread (backtest-worker.ts).
 */
import type { BacktestInput } from './backtest-job.ts';
import { JobRegistry, workerRunner as startWorker, type Job, type JobRunner as Runner } from './jobs.ts';

export type { JobStatus } from './jobs.ts';
export type BacktestJob = Job;
export type JobRunner = Runner<BacktestInput>;

/** Runs a backtest on its own worker thread; an abort (the server closing) terminates it. */
export const workerRunner: JobRunner = startWorker<BacktestInput>(
  new URL('./backtest-worker.ts', import.meta.url),
  'backtest',
);

export class BacktestJobs extends JobRegistry<BacktestInput> {
  constructor(runner: JobRunner = workerRunner, parallel = 1, keep = 50, maxQueued = 20, now: () => number = Date.now) {
    super({ prefix: 'bt', what: 'backtest', busy: 'ERR_BACKTEST_BUSY', runner, parallel, keep, maxQueued, now });
  }
}
