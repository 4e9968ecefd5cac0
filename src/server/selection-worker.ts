/** Worker-thread entry of an API selection job (selection-job.ts): posts progress, then its report or its error. */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '../errors.ts';
import { runSelectionJob, type SelectionJobInput } from './selection-job.ts';

runSelectionJob(workerData as SelectionJobInput, (done, total) =>
  parentPort!.postMessage({ progress: { done, total } }),
).then(
  (json) => parentPort!.postMessage({ ok: true, json }),
  (err: unknown) =>
    parentPort!.postMessage({
      ok: false,
      code: isAppError(err) ? err.code : 'ERR_SERVER_INTERNAL',
      message: isAppError(err) ? err.message : 'the selection failed',
    }),
);
