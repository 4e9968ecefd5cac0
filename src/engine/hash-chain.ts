/**
 * The journal's hash chain, computed in memory: record n's hash = sha256(prevHash + canonical JSON
 * of {seq, ts, kind, account, body}); genesis prevHash = 64 zeros. A replay without a journal file
 * reports the same head hash a journaled replay writes.
 */
import { hash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface JournalEntry {
  readonly ts: string;
  readonly kind: string;
  readonly account?: string;
  readonly body: unknown;
  /**
   * The body's JSON text as stored. When given (an event line as read), it is stored and hashed
   * verbatim, so the hot path never re-serializes; otherwise the canonical JSON of `body` is used.
   */
  readonly bodyText?: string;
}

export interface JournalSink {
  append(entry: JournalEntry): void;
  head(): { seq: number; hash: string };
  /** Makes appended records durable (group commit). */
  flush?(): void;
  close?(): void;
}

/** The stored JSON text of an entry's body. */
export function bodyTextOf(entry: JournalEntry): string {
  return entry.bodyText ?? canonicalJson(entry.body);
}

/**
 * Hash of record `seq`: sha256(prevHash + canonical header with the body text spliced in), i.e.
 * `{"account":…,"body":<bodyText>,"kind":…,"seq":…,"ts":…}` (keys sorted, account omitted when absent).
 */
export function recordHash(prevHash: string, seq: number, entry: JournalEntry, bodyText = bodyTextOf(entry)): string {
  const account = entry.account === undefined ? '' : `"account":${JSON.stringify(entry.account)},`;
  const text = `{${account}"body":${bodyText},"kind":${JSON.stringify(entry.kind)},"seq":${seq},"ts":${JSON.stringify(entry.ts)}}`;
  // One-shot crypto.hash is ~5× faster than createHash() for small inputs.
  return hash('sha256', prevHash + text, 'hex');
}

export class HashChain implements JournalSink {
  private seq = 0;
  private hash = GENESIS_HASH;

  append(entry: JournalEntry): void {
    this.seq++;
    this.hash = recordHash(this.hash, this.seq, entry);
  }

  head(): { seq: number; hash: string } {
    return { seq: this.seq, hash: this.hash };
  }
}
