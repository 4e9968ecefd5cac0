/**
 * API backtest jobs (`POST /api/v1/backtests`, `GET /api/v1/backtests/:id`): each runs on its own
 * worker thread, off the event loop that serves orders and risk. At most `parallel` run at once
 * (the rest queue); the newest `keep` jobs are remembered with their reports, older ones forgotten.
 * A job belongs to the key that started it (admins see all).
 */
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import { startTsWorker } from '../ts-worker.ts';
import type { BacktestInput } from './backtest-job.ts';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface BacktestJob {
  readonly id: string;
  readonly owner: string;
  readonly createdAt: string;
  status: JobStatus;
  finishedAt?: string;
  report?: string;
  html?: string;
  error?: { code: string; message: string };
}

/** How a job runs: on a worker thread by default; tests may inject an in-process runner. */
export type JobRunner = (
  input: BacktestInput,
  signal: AbortSignal,
) => Promise<{ ok: true; json: string; html: string } | { ok: false; code: string; message: string }>;

/** Runs a job on its own worker thread; an abort (the server closing) terminates it. */
export const workerRunner: JobRunner = (input, signal) =>
  new Promise((resolve) => {
    const worker = startTsWorker(new URL('./backtest-worker.ts', import.meta.url), input);
    let answered = false;
    const answer = (m: Awaited<ReturnType<JobRunner>>) => {
      if (answered) return;
      answered = true;
      signal.removeEventListener('abort', stop);
      resolve(m);
      void worker.terminate();
    };
    const stop = () =>
      answer({ ok: false, code: 'ERR_SERVER_INTERNAL', message: 'the server stopped before the backtest finished' });
    signal.addEventListener('abort', stop);
    worker.once('message', answer);
    worker.once('error', () =>
      answer({ ok: false, code: 'ERR_SERVER_INTERNAL', message: 'the backtest worker failed' }),
    );
    worker.once('exit', () =>
      answer({ ok: false, code: 'ERR_SERVER_INTERNAL', message: 'the backtest worker exited without a report' }),
    );
  });

export class BacktestJobs {
  private readonly jobs = new Map<string, BacktestJob>();
  private readonly queue: { job: BacktestJob; input: BacktestInput }[] = [];
  private running = 0;
  private readonly stopping = new AbortController();
  private readonly settled = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  constructor(
    private readonly runner: JobRunner = workerRunner,
    private readonly parallel = 1,
    private readonly keep = 50,
    private readonly maxQueued = 20,
    private readonly now: () => number = Date.now,
  ) {}

  start(owner: string, input: BacktestInput): BacktestJob {
    if (this.queue.length >= this.maxQueued)
      throw new AppError('ERR_BACKTEST_BUSY', `${this.queue.length} backtests are waiting; try again later`);
    const job: BacktestJob = {
      id: `bt_${randomBytes(8).toString('hex')}`,
      owner,
      createdAt: new Date(this.now()).toISOString(),
      status: 'queued',
    };
    this.jobs.set(job.id, job);
    while (this.jobs.size > this.keep) {
      const oldest = [...this.jobs.values()].find((j) => j.status === 'done' || j.status === 'failed');
      if (!oldest) break;
      this.jobs.delete(oldest.id);
    }
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    this.settled.set(job.id, { promise, resolve });
    this.queue.push({ job, input });
    this.pump();
    return job;
  }

  get(id: string): BacktestJob | undefined {
    return this.jobs.get(id);
  }

  /** Resolves when the job has finished (tests, shutdown). */
  async finished(id: string): Promise<void> {
    await this.settled.get(id)?.promise;
  }

  /** Stops running jobs and drops queued ones (the server is closing). */
  close(): void {
    for (const { job } of this.queue.splice(0)) {
      Object.assign(job, { status: 'failed', error: { code: 'ERR_SERVER_INTERNAL', message: 'the server stopped' } });
      this.settled.get(job.id)?.resolve();
    }
    this.stopping.abort();
  }

  /** Number of jobs queued or running. */
  get pending(): number {
    return this.queue.length + this.running;
  }

  private pump(): void {
    while (this.running < this.parallel && this.queue.length > 0) {
      const { job, input } = this.queue.shift()!;
      this.running++;
      job.status = 'running';
      void this.runner(input, this.stopping.signal)
        .catch(() => ({ ok: false as const, code: 'ERR_SERVER_INTERNAL', message: 'the backtest failed' }))
        .then((r) => {
          job.finishedAt = new Date(this.now()).toISOString();
          if (r.ok) Object.assign(job, { status: 'done', report: r.json, html: r.html });
          else Object.assign(job, { status: 'failed', error: { code: r.code, message: r.message } });
          this.running--;
          this.settled.get(job.id)?.resolve();
          this.settled.delete(job.id);
          this.pump();
        });
    }
  }
}
