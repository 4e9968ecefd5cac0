/**
 * Streams an NDJSON event log (DESIGN §4) in chunks: constant memory for any file size, events
 * handed out in batches so the hot loop stays synchronous. A malformed line or unknown type is an
 * error naming the line number and field, unless `skipBad` is set, in which case bad lines are
 * counted and skipped. `readEventBatchesThreaded` (reader-thread.ts) does the same work on a
 * worker thread; `eventBatches` picks one.
 */
import type { MessagePort } from 'node:worker_threads';
import { eventFileSize, forEachLine, LineParser, lineChunks, type ReadStats } from './lines.ts';
import { lineAccount } from '../../domain/events.ts';
import { NumberedEvent } from './numbered-event.ts';
import { readEventBatchesThreaded } from './reader-thread.ts';

export { newReadStats, describeLineError, type ReadStats } from './lines.ts';
export { NumberedEvent } from './numbered-event.ts';

export interface ReadOptions {
  skipBad?: boolean;
  /** Skip the first `fromLine` lines (resume after a committed offset). */
  fromLine?: number;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Read size (default 1 MiB). */
  chunkBytes?: number;
  /**
   * A journal that hashes or writes on its own thread and builds event records from the chunk
   * texts (`JournalSink.chunkPort`): the worker reader then posts each chunk's text to it
   * directly, and its events carry the chunk's id there (`NumberedEvent.chunkId`).
   */
  chunkSink?: () => MessagePort | undefined;
}

/**
 * Files from this size on are read on a worker thread: a worker starts in ~20 ms from its bundle,
 * but its code is cold, and below this size the in-thread reader is still faster (a 4.7 MB file:
 * ~0.1 s faster in-thread).
 */
export const WORKER_READ_MIN_BYTES = 16 << 20;

/**
 * Batches of events of an event log, parsed on a worker thread for large files (the engine
 * thread then only rebuilds events: replay runs on both cores) and on this thread otherwise, or
 * as `worker` says. Same events, errors and stats either way.
 */
export async function* eventBatches(
  path: string,
  stats: ReadStats,
  opts: ReadOptions & { worker?: boolean } = {},
): AsyncGenerator<NumberedEvent[]> {
  const worker = opts.worker ?? (await eventFileSize(path)) >= WORKER_READ_MIN_BYTES;
  yield* worker ? readEventBatchesThreaded(path, stats, opts) : readEventBatches(path, stats, opts);
}

/** Async iterator over batches of events (one batch per chunk read), parsed on this thread. */
export async function* readEventBatches(
  path: string,
  stats: ReadStats,
  opts: ReadOptions = {},
): AsyncGenerator<NumberedEvent[]> {
  const total = await eventFileSize(path);
  const parser = new LineParser(stats, opts);
  for await (const text of lineChunks(path, stats, opts.chunkBytes)) {
    const batch: NumberedEvent[] = [];
    forEachLine(text, (start, end) => {
      if (parser.parse(text, start, end)) {
        const raw = parser.raw;
        batch.push(
          new NumberedEvent(parser.line, parser.event!, text, start, parser.end, lineAccount(raw), -1, 0, raw),
        );
      }
    });
    opts.onProgress?.(stats.bytesRead, total);
    if (batch.length) yield batch;
  }
}

/** Async iterator over single events (convenience over `readEventBatches`). */
export async function* readEventLog(
  path: string,
  stats: ReadStats,
  opts: ReadOptions = {},
): AsyncGenerator<NumberedEvent> {
  for await (const batch of readEventBatches(path, stats, opts)) yield* batch;
}
