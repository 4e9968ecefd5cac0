/**
 * The line layer of the event log reader, shared by the in-thread reader and its worker: the file
 * as decoded text in whole lines, one piece per read, and each line parsed and validated with its
 * number (a malformed line or unknown type is an error naming the line number and field, unless
 * bad lines are skipped and counted).
 */
import { open, stat } from 'node:fs/promises';
import { AppError } from '../../errors.ts';
import { EventFieldError, parseEvent, type EngineEvent } from '../../domain/events.ts';

export interface ReadStats {
  lines: number;
  events: number;
  skipped: number;
  skippedByReason: Record<string, number>;
  /** The first `SKIPPED_LINES_KEPT` skipped lines: number and error (`CODE: message`). */
  skippedLines: { line: number; error: string }[];
  bytesRead: number;
}

/** How many skipped lines `ReadStats.skippedLines` keeps (the rest are only counted). */
export const SKIPPED_LINES_KEPT = 10;

export function newReadStats(): ReadStats {
  return { lines: 0, events: 0, skipped: 0, skippedByReason: {}, skippedLines: [], bytesRead: 0 };
}

/** An event earlier than the one before it (DESIGN §4: events are ordered by ts). */
class OutOfOrderError extends EventFieldError {}

export function describeLineError(line: number, err: unknown): AppError {
  if (err instanceof EventFieldError) {
    const code =
      err instanceof OutOfOrderError
        ? 'ERR_EVENT_OUT_OF_ORDER'
        : err.unknownType
          ? 'ERR_EVENT_UNKNOWN_TYPE'
          : 'ERR_EVENT_MALFORMED';
    return new AppError(code, `line ${line}: ${err.message}`, { line, field: err.field });
  }
  if (err instanceof SyntaxError)
    return new AppError('ERR_EVENT_MALFORMED', `line ${line}: invalid JSON (${err.message})`, { line });
  return new AppError('ERR_EVENT_MALFORMED', `line ${line}: ${err instanceof Error ? err.message : String(err)}`, {
    line,
  });
}

/** Size of an event file in bytes (ERR_FILE_NOT_FOUND when it is not there). */
export async function eventFileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    throw new AppError('ERR_FILE_NOT_FOUND', `event file not found: ${path}`);
  }
}

/**
 * The file as decoded text, one piece per read of `chunkBytes`: every complete line of the read
 * (and the carry of the one before), without the final newline; at the end, the last line when the
 * file does not end with a newline. One native decode per read instead of one per line: a newline
 * byte never occurs inside a multi-byte UTF-8 sequence, so the lines decode exactly as they would
 * one by one. `stats.bytesRead` counts the bytes read so far.
 */
export async function* lineChunks(path: string, stats: ReadStats, chunkBytes = 1 << 20): AsyncGenerator<string> {
  for await (const piece of lineChunkBytes(path, stats, chunkBytes)) yield piece.text;
}

/**
 * `lineChunks` with the bytes each piece was decoded from (`text` is `bytes` as UTF-8). The first
 * read may be smaller (`firstBytes`), so a consumer on another thread gets its first lines sooner.
 */
export async function* lineChunkBytes(
  path: string,
  stats: ReadStats,
  chunkBytes = 1 << 20,
  firstBytes = chunkBytes,
): AsyncGenerator<{ text: string; bytes: Buffer }> {
  const file = await open(path, 'r');
  let carry: Buffer | undefined;
  let size = Math.min(firstBytes, chunkBytes);
  try {
    for (;;) {
      const read = Buffer.allocUnsafe(size);
      const { bytesRead } = await file.read(read, 0, size, null);
      if (bytesRead === 0) break;
      const chunk = read.subarray(0, bytesRead);
      const buf = carry ? Buffer.concat([carry, chunk]) : chunk;
      const last = buf.lastIndexOf(10);
      carry = last + 1 < buf.length ? buf.subarray(last + 1) : undefined;
      stats.bytesRead += chunk.length;
      if (last !== -1) yield { text: buf.toString('utf8', 0, last), bytes: buf.subarray(0, last) };
      size = chunkBytes;
    }
    if (carry && carry.length) yield { text: carry.toString('utf8'), bytes: carry };
  } finally {
    await file.close();
  }
}

/**
 * Parses the lines of the decoded text in order: `parse(text, start, end)` reads one line (a
 * trailing CR is not part of it) and leaves its number, end, decoded object and event in `line`,
 * `end`, `raw` and `event`. Blank lines and the first `fromLine` lines count as lines but hold no event.
 */
export class LineParser {
  line = 0;
  /** Where the last line ends (before a trailing CR). */
  end = 0;
  raw: Record<string, unknown> = {};
  event: EngineEvent | undefined;
  private lastT = -Infinity;

  constructor(
    private readonly stats: ReadStats,
    private readonly opts: { skipBad?: boolean; fromLine?: number } = {},
  ) {}

  /** Whether the line holds an event; a bad line throws (AppError naming it) or, with skipBad, is counted. */
  parse(text: string, start: number, end: number): boolean {
    return this.next(text, start, end) && this.parseCounted(text, start);
  }

  /**
   * Counts the next line (its number in `line`, its end before a trailing CR in `end`): whether it
   * may hold an event (not blank, not among the first `fromLine`).
   */
  next(text: string, start: number, end: number): boolean {
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    this.end = end;
    const line = ++this.stats.lines;
    this.line = line;
    return !(
      line <= (this.opts.fromLine ?? 0) ||
      end === start ||
      (text.charCodeAt(end - 1) <= 32 && text.slice(start, end).trim() === '')
    );
  }

  /** Parses the line just counted with JSON.parse and `parseEvent` (see `parse`). */
  parseCounted(text: string, start: number): boolean {
    try {
      this.raw = JSON.parse(text.slice(start, this.end)) as Record<string, unknown>;
      const event = parseEvent(this.raw);
      if (event.t < this.lastT)
        throw new OutOfOrderError(
          'ts',
          `out of order: earlier than the previous event (${new Date(this.lastT).toISOString()})`,
        );
      this.event = event;
    } catch (err) {
      const e = describeLineError(this.line, err);
      if (!this.opts.skipBad) throw e;
      this.stats.skipped++;
      const reason = e.details?.field ? `${e.code} ${String(e.details.field)}` : e.code;
      this.stats.skippedByReason[reason] = (this.stats.skippedByReason[reason] ?? 0) + 1;
      if (this.stats.skippedLines.length < SKIPPED_LINES_KEPT)
        this.stats.skippedLines.push({ line: this.line, error: `${e.code}: ${e.message.replace(/^line \d+: /, '')}` });
      return false;
    }
    this.accept(this.event.t);
    return true;
  }

  /** Whether an event at `t` may follow the events so far (else `parseCounted` names the error). */
  inOrder(t: number): boolean {
    return t >= this.lastT;
  }

  /** Counts the line just counted as an event at `t` (read another way, e.g. by LineScanner). */
  accept(t: number): void {
    this.lastT = t;
    this.stats.events++;
  }
}

/** Calls `onLine(start, end)` for every line of `text` (split at '\n'; the parser drops a CR). */
export function forEachLine(text: string, onLine: (start: number, end: number) => void): void {
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    onLine(start, nl === -1 ? text.length : nl);
    if (nl === -1) return;
    start = nl + 1;
  }
}
