/**
 * Long API jobs (backtests, replays, research sweeps and walk-forwards): each runs off the event
 * loop that serves orders and risk (a worker thread, or worker threads of its own). At most
 * `parallel` run at once (the rest queue, at most `maxQueued`); the newest `keep` jobs are
 * remembered with their reports, older finished ones forgotten. A job belongs to the principal
 * that started it (admins see all); its progress is what its runner last reported.
 */
import { randomBytes } from 'node:crypto';
import { AppError, type ErrorCode } from '../errors.ts';
import { startTsWorker } from '../ts-worker.ts';

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface Job {
  readonly id: string;
  readonly owner: string;
  readonly createdAt: string;
  /** What the job is (`sweep`, `walkforward`, `replay`, `compare`), when a registry runs several kinds. */
  readonly kind?: string;
  status: JobStatus;
  progress?: { done: number; total: number };
  finishedAt?: string;
  report?: string;
  html?: string;
  error?: { code: string; message: string };
}

export type JobResult = { ok: true; json: string; html?: string } | { ok: false; code: string; message: string };
export type JobProgress = (done: number, total: number) => void;
/** How a job runs: on a worker thread by default; tests may inject an in-process runner. */
export type JobRunner<I> = (input: I, signal: AbortSignal, progress: JobProgress) => Promise<JobResult>;

/**
 * Runs a job on its own worker thread (`entry`, posting `{progress:{done,total}}` messages and
 * then its JobResult); an abort (the server closing) terminates it.
 */
export function workerRunner<I>(entry: URL, what: string): JobRunner<I> {
  return (input, signal, progress) =>
    new Promise((resolve) => {
      const worker = startTsWorker(entry, input);
      let answered = false;
      const answer = (m: JobResult) => {
        if (answered) return;
        answered = true;
        signal.removeEventListener('abort', stop);
        resolve(m);
        void worker.terminate();
      };
      const stop = () =>
        answer({ ok: false, code: 'ERR_SERVER_INTERNAL', message: `the server stopped before the ${what} finished` });
      signal.addEventListener('abort', stop);
      worker.on('message', (m: JobResult | { progress: { done: number; total: number } }) => {
        if ('progress' in m) progress(m.progress.done, m.progress.total);
        else answer(m);
      });
      worker.once('error', () =>
        answer({ ok: false, code: 'ERR_SERVER_INTERNAL', message: `the ${what} worker failed` }),
      );
      worker.once('exit', () =>
        answer({ ok: false, code: 'ERR_SERVER_INTERNAL', message: `the ${what} worker exited without a report` }),
      );
    });
}

export interface JobRegistryOptions<I> {
  /** Id prefix: `bt` gives ids `bt_<16 hex>`. */
  readonly prefix: string;
  readonly runner: JobRunner<I>;
  /** What a job is, in messages ("backtest", "replay"). */
  readonly what: string;
  /** The error of a full queue. */
  readonly busy: ErrorCode;
  readonly parallel?: number;
  readonly keep?: number;
  readonly maxQueued?: number;
  readonly now?: () => number;
}

export class JobRegistry<I> {
  private readonly jobs = new Map<string, Job>();
  private readonly queue: { job: Job; input: I }[] = [];
  private running = 0;
  private readonly stopping = new AbortController();
  private readonly settled = new Map<string, { promise: Promise<void>; resolve: () => void }>();
  private readonly parallel: number;
  private readonly keep: number;
  private readonly maxQueued: number;
  private readonly now: () => number;

  constructor(private readonly opts: JobRegistryOptions<I>) {
    this.parallel = opts.parallel ?? 1;
    this.keep = opts.keep ?? 50;
    this.maxQueued = opts.maxQueued ?? 20;
    this.now = opts.now ?? Date.now;
  }

  /** The pattern of this registry's ids, for route schemas. */
  get idPattern(): string {
    return `^${this.opts.prefix}_[0-9a-f]{16}$`;
  }

  start(owner: string, input: I, kind?: string): Job {
    if (this.queue.length >= this.maxQueued)
      throw new AppError(this.opts.busy, `${this.queue.length} ${this.opts.what} jobs are waiting; try again later`);
    const job: Job = {
      id: `${this.opts.prefix}_${randomBytes(8).toString('hex')}`,
      owner,
      createdAt: new Date(this.now()).toISOString(),
      ...(kind ? { kind } : {}),
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

  get(id: string): Job | undefined {
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
      const progress: JobProgress = (done, total) => {
        if (job.status === 'running') job.progress = { done, total };
      };
      let run: Promise<JobResult>;
      try {
        run = this.opts.runner(input, this.stopping.signal, progress);
      } catch (err) {
        run = Promise.reject(err);
      }
      void run
        .catch(() => ({ ok: false as const, code: 'ERR_SERVER_INTERNAL', message: `the ${this.opts.what} failed` }))
        .then((r) => this.settle(job, r));
    }
  }

  private settle(job: Job, r: JobResult): void {
    job.finishedAt = new Date(this.now()).toISOString();
    if (r.ok) {
      if (job.progress) job.progress = { done: job.progress.total, total: job.progress.total };
      Object.assign(job, { status: 'done', report: r.json, ...(r.html !== undefined ? { html: r.html } : {}) });
    } else Object.assign(job, { status: 'failed', error: { code: r.code, message: r.message } });
    this.running--;
    this.settled.get(job.id)?.resolve();
    this.settled.delete(job.id);
    this.pump();
  }
}

/** A job as the API answers it: status, progress, then the JSON report or the error. */
export function jobJson(job: Job): Record<string, unknown> {
  return {
    id: job.id,
    ...(job.kind ? { kind: job.kind } : {}),
    status: job.status,
    createdAt: job.createdAt,
    ...(job.progress ? { progress: job.progress } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    ...(job.report ? { report: JSON.parse(job.report) as unknown } : {}),
    ...(job.error ? { error: job.error } : {}),
  };
}

/** The job if the caller may see it (its owner, or an admin); another's is the same 404 as a missing one. */
export function visibleJob(
  jobs: { get(id: string): Job | undefined },
  id: string,
  p: { id: string; role: string },
  unknown: ErrorCode,
  what: string,
): Job {
  const job = jobs.get(id);
  if (!job || (p.role !== 'admin' && job.owner !== p.id)) throw new AppError(unknown, `unknown ${what} ${id}`);
  return job;
}
