/**
 * A sweep worker thread (pool.ts): loads the run's data, strategy and config once, then runs the
 * backtests it is handed, one message each, and answers with their stats (and, when asked, the
 * equity curve and trade P&Ls a walk-forward combines). Errors go back as {code, message}.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../errors.ts';
import { loadRun, runSlice, type LoadedRun, type RunSpec } from './run-spec.ts';
import { runDetail, type SweepAnswer, type SweepTask } from './task.ts';

const port = parentPort!;

function failure(err: unknown): { code: string; message: string } {
  if (isAppError(err)) return { code: err.code, message: err.message };
  return { code: 'ERR_STRATEGY_FAILED', message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
}

let run: LoadedRun | undefined;
try {
  run = await loadRun(workerData as RunSpec);
  port.postMessage({ ready: true });
} catch (err) {
  port.postMessage({ fatal: failure(err) });
}

port.on('message', (task: SweepTask) => {
  let answer: SweepAnswer;
  try {
    answer = { id: task.id, ...runDetail(runSlice(run as LoadedRun, task.params, task.from, task.to), task.detail) };
  } catch (err) {
    answer = { id: task.id, error: failure(err) };
  }
  const transfer = answer.curve ? [answer.curve.ts.buffer, answer.curve.values.buffer] : [];
  port.postMessage(answer, transfer as ArrayBuffer[]);
});
