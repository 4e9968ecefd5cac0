/**
 * Streams an NDJSON event log (DESIGN §4) line by line: constant memory for any file size.
 * A malformed line or unknown type is an error naming the line number and field, unless
 * `skipBad` is set, in which case bad lines are counted and skipped.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
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
  /** Start reading after this many lines (resume). */
  fromLine?: number;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface NumberedEvent {
  line: number;
  event: EngineEvent;
  /** The decoded JSON object as written (journaled verbatim). */
  raw: Record<string, unknown>;
}

export function describeLineError(line: number, err: unknown): AppError {
  if (err instanceof EventFieldError) {
    return new AppError(err.unknownType ? 'ERR_EVENT_UNKNOWN_TYPE' : 'ERR_EVENT_MALFORMED', `line ${line}: ${err.message}`, { line, field: err.field });
  }
  if (err instanceof SyntaxError) return new AppError('ERR_EVENT_MALFORMED', `line ${line}: invalid JSON (${err.message})`, { line });
  return new AppError('ERR_EVENT_MALFORMED', `line ${line}: ${err instanceof Error ? err.message : String(err)}`, { line });
}

/** Async iterator over the events of a file, with running stats. */
export async function* readEventLog(path: string, stats: ReadStats, opts: ReadOptions = {}): AsyncGenerator<NumberedEvent> {
  let total: number;
  try {
    total = (await stat(path)).size;
  } catch {
    throw new AppError('ERR_FILE_NOT_FOUND', `event file not found: ${path}`);
  }
  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  let lastT = -Infinity;
  let lastProgress = 0;
  const fromLine = opts.fromLine ?? 0;
  for await (const text of rl) {
    const line = ++stats.lines;
    stats.bytesRead += Buffer.byteLength(text) + 1;
    if (opts.onProgress && stats.bytesRead - lastProgress > 1 << 20) {
      lastProgress = stats.bytesRead;
      opts.onProgress(stats.bytesRead, total);
    }
    if (line <= fromLine) continue;
    if (text.trim() === '') continue;
    let event: EngineEvent;
    let raw: Record<string, unknown>;
    try {
      raw = JSON.parse(text) as Record<string, unknown>;
      event = parseEvent(raw);
      if (event.t < lastT) throw new EventFieldError('ts', `out of order: earlier than the previous event (${new Date(lastT).toISOString()})`);
    } catch (err) {
      const e = describeLineError(line, err);
      if (!opts.skipBad) {
        rl.close();
        stream.destroy();
        throw e;
      }
      stats.skipped++;
      const reason = e.details?.field ? `${e.code} ${String(e.details.field)}` : e.code;
      stats.skippedByReason[reason] = (stats.skippedByReason[reason] ?? 0) + 1;
      continue;
    }
    lastT = event.t;
    stats.events++;
    yield { line, event, raw };
  }
  opts.onProgress?.(total, total);
}

export function newReadStats(): ReadStats {
  return { lines: 0, events: 0, skipped: 0, skippedByReason: {}, bytesRead: 0 };
}
