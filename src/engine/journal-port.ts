/**
 * What the engine shell needs of a journal (implemented in src/store: the SQLite journal and an
 * in-memory chain). Shell order per event: decide → journal.append → publish → broker call.
 */
export interface JournalEntryLike {
  readonly ts: string;
  readonly kind: string;
  readonly account?: string;
  readonly body: unknown;
  /** The body's JSON text when already at hand (stored and hashed verbatim). */
  readonly bodyJson?: string;
}

export interface JournalSink {
  append(entry: JournalEntryLike): unknown;
  /**
   * Optional fast path for an event read from a file: the same record as `append({ ts: isoOf(t),
   * kind: 'event', account, bodyJson: chunk.slice(start, end) })`, with the line given by its
   * place in the decoded chunk (a sink hashing on another thread ships each chunk once). `tsAt`:
   * where the line's ts is in the chunk when canonical (the 24 characters there equal isoOf(t)),
   * else −1.
   */
  appendEventText?(t: number, account: string | undefined, chunk: string, start: number, end: number, tsAt?: number): void;
  head(): { seq: number; hash: string };
  /** Makes appended records durable (group commit). */
  flush?(): unknown;
  close?(): unknown;
}
