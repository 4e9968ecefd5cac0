/** One event read from an event log file, with its line number and its place in the file's text. */
import type { EngineEvent } from '../../domain/events.ts';

export class NumberedEvent {
  constructor(
    readonly line: number,
    readonly event: EngineEvent,
    /**
     * The decoded chunk of the file the line was cut from, and where (`start`…`end`). A journal
     * hashing on another thread is sent the chunk once instead of every line.
     */
    readonly chunk: string,
    readonly start: number,
    readonly end: number,
    /** The line's "account" string, if it has one (the journal record's account). */
    readonly account: string | undefined,
    /**
     * Where the line's ts text is in the chunk when it is in the canonical form (it then equals
     * `isoOf(event.t)`, the journal record's ts), else −1.
     */
    readonly tsStart: number,
    /** The chunk's id when the reader posted its text to the journal directly (`ReadOptions.chunkSink`), else 0. */
    readonly chunkId: number,
    /** The decoded object, when the reader kept it (otherwise `raw` decodes the line again). */
    private readonly decoded?: Record<string, unknown>,
  ) {}

  /** The line as written (journaled and hashed verbatim). */
  get text(): string {
    return this.chunk.slice(this.start, this.end);
  }

  /** The decoded JSON object as written (the replay's hot path never needs it). */
  get raw(): Record<string, unknown> {
    return this.decoded ?? (JSON.parse(this.text) as Record<string, unknown>);
  }
}
