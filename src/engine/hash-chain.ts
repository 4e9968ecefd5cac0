/**
 * The journal's hash chain, computed in memory: record n's hash = sha256(prevHash + canonical JSON
 * of {seq, ts, kind, account, body}); genesis prevHash = 64 zeros. A replay without a journal file
 * reports the same head hash a journaled replay writes.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical.ts';

export const GENESIS_HASH = '0'.repeat(64);

export interface JournalEntry {
  readonly ts: string;
  readonly kind: string;
  readonly account?: string;
  readonly body: unknown;
}

export interface JournalSink {
  append(entry: JournalEntry): void;
  head(): { seq: number; hash: string };
  /** Makes appended records durable (group commit). */
  flush?(): void;
  close?(): void;
}

export function recordHash(prevHash: string, seq: number, entry: JournalEntry): string {
  const canonical = canonicalJson({ seq, ts: entry.ts, kind: entry.kind, account: entry.account, body: entry.body });
  return createHash('sha256').update(prevHash).update(canonical).digest('hex');
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
