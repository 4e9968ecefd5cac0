/**
 * Streams an NDJSON event log (DESIGN §4) in chunks: constant memory for any file size, events
 * handed out in batches so the hot loop stays synchronous. A malformed line or unknown type is an
 * error naming the line number and field, unless `skipBad` is set, in which case bad lines are
 * counted and skipped.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { AppError } from '../../errors.ts';
import { EventFieldError, parseEvent, type EngineEvent } from '../../domain/events.ts';

export interface ReadStats {
  lines: number;
  events: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  bytesRead: number;
}

export interface ReadOptions {
  skipBad?: boolean;
  /** Skip the first `fromLine` lines (resume after a committed offset). */
  fromLine?: number;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Read size (default 1 MiB): one batch per chunk. */
  chunkBytes?: number;
}

export interface NumberedEvent {
  line: number;
  event: EngineEvent;
  /** The decoded JSON object as written. */
  raw: Record<string, unknown>;
  /** The line as written (journaled and hashed verbatim). */
  text: string;
  /**
   * The decoded chunk the line was cut from, and where: `text === chunk.slice(start, start +
   * text.length)`. A journal hashing on another thread is sent the chunk once instead of every line.
   */
  chunk: string;
  start: number;
}

export function describeLineError(line: number, err: unknown): AppError {
  if (err instanceof EventFieldError) {
    return new AppError(err.unknownType ? 'ERR_EVENT_UNKNOWN_TYPE' : 'ERR_EVENT_MALFORMED', `line ${line}: ${err.message}`, { line, field: err.field });
  }
  if (err instanceof SyntaxError) return new AppError('ERR_EVENT_MALFORMED', `line ${line}: invalid JSON (${err.message})`, { line });
  return new AppError('ERR_EVENT_MALFORMED', `line ${line}: ${err instanceof Error ? err.message : String(err)}`, { line });
}

export function newReadStats(): ReadStats {
  return { lines: 0, events: 0, skipped: 0, skippedByReason: {}, bytesRead: 0 };
}

/** Async iterator over batches of events (one batch per chunk read). */
export async function* readEventBatches(path: string, stats: ReadStats, opts: ReadOptions = {}): AsyncGenerator<NumberedEvent[]> {
  let total: number;
  try {
    total = (await stat(path)).size;
  } catch {
    throw new AppError('ERR_FILE_NOT_FOUND', `event file not found: ${path}`);
  }
  const stream = createReadStream(path, { highWaterMark: opts.chunkBytes ?? 1 << 20 });
  let carry: Buffer | undefined;
  let lastT = -Infinity;
  const fromLine = opts.fromLine ?? 0;
  const handleLine = (chunk: string, start: number, end: number, batch: NumberedEvent[]): void => {
    const text = chunk.slice(start, end);
    const line = ++stats.lines;
    if (line <= fromLine || text.length === 0 || (text.charCodeAt(text.length - 1) <= 32 && text.trim() === '')) return;
    let event: EngineEvent;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
      event = parseEvent(raw);
      if (event.t < lastT) throw new EventFieldError('ts', `out of order: earlier than the previous event (${new Date(lastT).toISOString()})`);
    } catch (err) {
      const e = describeLineError(line, err);
      if (!opts.skipBad) throw e;
      stats.skipped++;
      const reason = e.details?.field ? `${e.code} ${String(e.details.field)}` : e.code;
      stats.skippedByReason[reason] = (stats.skippedByReason[reason] ?? 0) + 1;
      return;
    }
    lastT = event.t;
    stats.events++;
    batch.push({ line, event, raw, text, chunk, start });
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      const batch: NumberedEvent[] = [];
      // Decode every complete line of the chunk in one call, then split the string: one native
      // call per chunk instead of one per line. A newline byte never occurs inside a multi-byte
      // UTF-8 sequence, so the lines decode exactly as they would one by one.
      const last = buf.lastIndexOf(10);
      if (last !== -1) {
        const text = buf.toString('utf8', 0, last);
        let start = 0;
        for (;;) {
          const nl = text.indexOf('\n', start);
          const stop = nl === -1 ? text.length : nl;
          const end = stop > start && text.charCodeAt(stop - 1) === 13 ? stop - 1 : stop;
          handleLine(text, start, end, batch);
          if (nl === -1) break;
          start = nl + 1;
        }
      }
      carry = last + 1 < buf.length ? buf.subarray(last + 1) : undefined;
      stats.bytesRead += chunk.length;
      opts.onProgress?.(stats.bytesRead, total);
      if (batch.length) yield batch;
    }
    if (carry && carry.length) {
      const batch: NumberedEvent[] = [];
      const last = carry.toString('utf8').replace(/\r$/, '');
      handleLine(last, 0, last.length, batch);
      if (batch.length) yield batch;
    }
  } finally {
    stream.destroy();
  }
}

/** Async iterator over single events (convenience over `readEventBatches`). */
export async function* readEventLog(path: string, stats: ReadStats, opts: ReadOptions = {}): AsyncGenerator<NumberedEvent> {
  for await (const batch of readEventBatches(path, stats, opts)) yield* batch;
}
