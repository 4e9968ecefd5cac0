/**
 * The event log reader with reading, JSON decoding and validation on a worker thread
 * (reader-worker.ts): the engine thread only rebuilds events from their compact form
 * (event-codec.ts), which costs a fraction of parsing them. Same events, lines, errors and stats
 * as `readEventBatches`, in batches of up to `READER_SLICE` events (rebuilt as they are asked
 * for); the worker reads up to a few chunks ahead.
 */
import { startTsWorker } from '../../ts-worker.ts';
import { AppError, type ErrorCode } from '../../errors.ts';
import { eventFileSize, type ReadStats } from './lines.ts';
import { EventDecoder, type EncodedBatch } from './event-codec.ts';
import type { NumberedEvent } from './numbered-event.ts';
import type { ReadOptions } from './reader.ts';
import type { ReaderWorkerData } from './reader-worker.ts';

type WorkerMessage =
  | { batch: EncodedBatch; stats: ReadStats }
  | { done: ReadStats }
  | { error: { code: ErrorCode; message: string; details?: Record<string, unknown> }; stats?: ReadStats };

/** Events per batch yielded (a chunk holds thousands). */
export const READER_SLICE = 256;

function copyStats(to: ReadStats, from: ReadStats): void {
  to.lines = from.lines;
  to.events = from.events;
  to.skipped = from.skipped;
  to.skippedByReason = from.skippedByReason;
  to.skippedLines = from.skippedLines;
  to.bytesRead = from.bytesRead;
}

/** Async iterator over batches of events (one batch per chunk read), parsed on a worker thread. */
export async function* readEventBatchesThreaded(
  path: string,
  stats: ReadStats,
  opts: ReadOptions = {},
): AsyncGenerator<NumberedEvent[]> {
  const total = await eventFileSize(path);
  const chunkPort = opts.chunkSink?.();
  const data: ReaderWorkerData = {
    path,
    chunkBytes: opts.chunkBytes,
    skipBad: opts.skipBad,
    fromLine: opts.fromLine,
    chunkPort,
  };
  const worker = startTsWorker(
    new URL('./reader-worker.ts', import.meta.url),
    data,
    undefined,
    chunkPort ? [chunkPort] : [],
  );
  const queue: WorkerMessage[] = [];
  let waiting: (() => void) | undefined;
  const arrive = (m: WorkerMessage): void => {
    queue.push(m);
    waiting?.();
  };
  worker.on('message', arrive);
  worker.on('error', (err) =>
    arrive({ error: { code: 'ERR_FILE_READ', message: `event reader for ${path} failed: ${err.message}` } }),
  );
  worker.on('exit', (code) =>
    arrive({ error: { code: 'ERR_FILE_READ', message: `event reader for ${path} stopped (exit code ${code})` } }),
  );
  const decoder = new EventDecoder();
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((resolve) => (waiting = resolve));
      waiting = undefined;
      const m = queue.shift()!;
      if ('error' in m) {
        if (m.stats) copyStats(stats, m.stats); // as far as the worker got, as the in-thread reader leaves them
        throw new AppError(m.error.code, m.error.message, m.error.details);
      }
      if ('done' in m) {
        copyStats(stats, m.done);
        return;
      }
      worker.postMessage(0); // taken: the worker may read one more chunk
      copyStats(stats, m.stats);
      opts.onProgress?.(stats.bytesRead, total);
      // In slices, so that the events of a chunk die young: a whole chunk's (~8k) events alive
      // at once made every scavenge copy and promote megabytes of them.
      for (let from = 0; from < m.batch.count; from += READER_SLICE)
        yield decoder.decode(m.batch, from, Math.min(m.batch.count, from + READER_SLICE));
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
