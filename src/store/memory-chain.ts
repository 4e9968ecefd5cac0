/**
 * The journal's hash chain kept in memory only: the same records and hashes a SQLite journal
 * would hold, nothing stored. A replay without `--journal` reports the same head hash.
 */
import { GENESIS_HASH, recordHash } from './journal-chain.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import type { JournalEntry, JournalHead } from './journal.ts';

export class MemoryChain {
  private seq = 0;
  private hash = GENESIS_HASH;

  append(entry: JournalEntry): void {
    this.seq++;
    this.hash = recordHash(
      this.hash,
      this.seq,
      entry.ts,
      entry.kind,
      entry.account,
      entry.bodyJson ?? canonicalJson(entry.body),
    );
  }

  head(): JournalHead {
    return { seq: this.seq, hash: this.hash };
  }
}
