/** Worker-thread entry of an API backtest (backtests.ts): runs one job, posts its reports or its error. */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../errors.ts';
import { runBacktestJob, type BacktestInput } from './backtest-job.ts';

runBacktestJob(workerData as BacktestInput).then(
  (reports) => parentPort!.postMessage({ ok: true, ...reports }),
  (err: unknown) =>
    parentPort!.postMessage({
      ok: false,
      code: isAppError(err) ? err.code : 'ERR_SERVER_INTERNAL',
      message: isAppError(err) ? err.message : 'the backtest failed',
    }),
);
