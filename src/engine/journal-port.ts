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
  head(): { seq: number; hash: string };
  /** Makes appended records durable (group commit). */
  flush?(): unknown;
  close?(): unknown;
}
