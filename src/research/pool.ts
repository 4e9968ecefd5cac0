/**
 * The worker threads of a sweep: each loads the run once (sweep-worker.ts), then takes the next
 * backtest as soon as it answers the last one. Answers are stored by task id, so the results come
 * back in task order whatever the number of workers or the order they finish in: the reports are
 * byte-identical for any `--workers`.
 */
import type { Worker } from 'node:worker_threads';
import { AppError, ERRORS, isAppError, type ErrorCode } from '../errors.ts';
import { startTsWorker } from '../ts-worker.ts';
import type { RunSpec } from './run-spec.ts';
import type { SweepAnswer, SweepTask } from './task.ts';

export type TaskInput = Omit<SweepTask, 'id'>;

/** The worker's error as the same catalogued error on this thread. */
function appError(e: { code: string; message: string }): AppError {
  return new AppError(e.code in ERRORS ? (e.code as ErrorCode) : 'ERR_STRATEGY_FAILED', e.message);
}

export class SweepPool {
  private constructor(private readonly workers: Worker[]) {}

  /** Starts `count` workers for `spec` and waits until each has loaded it. */
  static async start(spec: RunSpec, count: number): Promise<SweepPool> {
    const workers: Worker[] = [];
    try {
      for (let i = 0; i < count; i++) workers.push(startTsWorker(new URL('./sweep-worker.ts', import.meta.url), spec));
      await Promise.all(workers.map((w) => ready(w)));
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new SweepPool(workers);
  }

  /** Runs every task; `onDone` after each answer (a progress bar). The first failure rejects. */
  run(tasks: readonly TaskInput[], onDone?: () => void): Promise<SweepAnswer[]> {
    const answers = new Array<SweepAnswer>(tasks.length);
    let next = 0;
    let pending = tasks.length;
    return new Promise((resolve, reject) => {
      if (pending === 0) return resolve(answers);
      let failed = false;
      const give = (w: Worker): void => {
        if (next < tasks.length) {
          const id = next++;
          w.postMessage({ ...(tasks[id] as TaskInput), id } satisfies SweepTask);
        }
      };
      const cleanups: (() => void)[] = [];
      const finish = (err?: Error): void => {
        for (const c of cleanups) c();
        if (err) reject(err);
        else resolve(answers);
      };
      for (const w of this.workers) {
        const onMessage = (a: SweepAnswer): void => {
          if (failed) return;
          if (a.error) {
            failed = true;
            return finish(appError(a.error));
          }
          answers[a.id] = a;
          onDone?.();
          if (--pending === 0) return finish();
          give(w);
        };
        const onError = (err: Error): void => {
          if (failed) return;
          failed = true;
          finish(isAppError(err) ? err : new AppError('ERR_STRATEGY_FAILED', `sweep worker failed: ${err.message}`));
        };
        // A worker that ends without an error (a strategy calling process.exit) would never answer.
        const onExit = (code: number): void => onError(new Error(`exited with code ${code}`));
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
        cleanups.push(() => {
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
        });
        give(w);
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

function ready(w: Worker): Promise<void> {
  return new Promise((resolve, reject) => {
    w.once('message', (m: { ready?: true; fatal?: { code: string; message: string } }) =>
      m.fatal ? reject(appError(m.fatal)) : resolve(),
    );
    w.once('error', (err) =>
      reject(new AppError('ERR_STRATEGY_FAILED', `sweep worker failed to start: ${err.message}`)),
    );
    w.once('exit', (code) =>
      reject(new AppError('ERR_STRATEGY_FAILED', `sweep worker exited with code ${code} while starting`)),
    );
  });
}
