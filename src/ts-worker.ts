/** Worker threads running a TypeScript module of this project (the reader and the SQLite journal). */
import { Worker } from 'node:worker_threads';

/** Starts `entry` (a .ts module URL) on a worker thread, with the same tsx loader this process uses. */
export function startTsWorker(entry: URL, workerData: unknown): Worker {
  const loader = import.meta.resolve('tsx/esm/api');
  const source = `import(${JSON.stringify(loader)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(source, { eval: true, workerData });
}
