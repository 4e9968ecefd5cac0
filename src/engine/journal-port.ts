/**
 * What the engine shell needs of a journal (implemented in src/store: the SQLite journal and an
 * in-memory chain). Shell order per event: decide → journal.append → publish → broker call.
 */
import type { MessagePort } from 'node:worker_threads';

export interface JournalEntryLike {
  readonly ts: string;
  readonly kind: string;
  readonly account?: string;
  readonly body: unknown;
  /** The body's JSON text when already at hand (stored and hashed verbatim). */
  readonly bodyJson?: string;
}

/**
 * A decision body's constant text around its reason and ts (decision-template.ts): the body is
 * `head + JSON.stringify(reason) + middle + JSON.stringify(ts) + tail`. The same id, the same text.
 */
export interface BodyTemplate {
  readonly id: number;
  readonly head: string;
  readonly middle: string;
  readonly tail: string;
}

export interface JournalSink {
  append(entry: JournalEntryLike): unknown;
  /**
   * Optional fast path for an event read from a file: the same record as `append({ ts: isoOf(t),
   * kind: 'event', account, bodyJson: chunk.slice(start, end) })`, with the line given by its
   * place in the decoded chunk (a sink hashing on another thread ships each chunk once). `tsAt`:
   * where the line's ts is in the chunk when canonical (the 24 characters there equal isoOf(t)),
   * else −1. `chunkId`: the chunk's id when the reader posted its text to `chunkPort()`, else 0.
   */
  appendEventText?(
    t: number,
    account: string | undefined,
    chunk: string,
    start: number,
    end: number,
    tsAt?: number,
    chunkId?: number,
  ): void;
  /**
   * Optional fast path for a decision: the same record as `append({ ts, kind: 'decision', account,
   * bodyJson })` with the body of `template` around `reason` and `ts` (a sink on another thread
   * ships each template once). `t`: a time with isoOf(t) === ts, else NaN.
   */
  appendDecision?(t: number, ts: string, account: string, template: BodyTemplate, reason: string): void;
  /**
   * Optional: a port the worker reader posts each chunk's text to ({ id, text }) before handing
   * the chunk's events to the engine thread, so the engine thread does not copy it again.
   */
  chunkPort?(): MessagePort;
  head(): { seq: number; hash: string };
  /** Makes appended records durable (group commit). */
  flush?(): unknown;
  close?(): unknown;
}
