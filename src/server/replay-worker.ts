/** Worker-thread entry of an API replay (replay-job.ts): posts progress, then the report or the error. */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../errors.ts';
import { runReplayJob, type ReplayJobInput } from './replay-job.ts';

let last = 0;
runReplayJob(workerData as ReplayJobInput, (done, total) => {
  // At most a few progress messages a second: the main thread only keeps the latest.
  const now = Date.now();
  if (now - last < 200 && done < total) return;
  last = now;
  parentPort!.postMessage({ progress: { done, total } });
}).then(
  (json) => parentPort!.postMessage({ ok: true, json }),
  (err: unknown) =>
    parentPort!.postMessage({
      ok: false,
      code: isAppError(err) ? err.code : 'ERR_SERVER_INTERNAL',
      message: isAppError(err) ? err.message : 'the replay failed',
    }),
);
