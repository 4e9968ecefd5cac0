/** The audit trail as the node's queries give it: journal records in a plain, read-only shape. */
import type { JournalRecord } from '../store/journal.ts';

export interface JournalRecordView {
  readonly seq: number;
  readonly ts: string;
  readonly kind: string;
  readonly account?: string;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface JournalFilter {
  readonly kind?: string;
  readonly account?: string;
  readonly fromSeq?: number;
  /** At most this many records (default 1000). */
  readonly limit?: number;
}

/** The records of `records` (oldest first) that pass `filter`, up to its limit. */
export function journalView(records: Iterable<JournalRecord>, filter: JournalFilter): JournalRecordView[] {
  const out: JournalRecordView[] = [];
  const limit = filter.limit ?? 1000;
  for (const r of records) {
    if ((filter.kind && r.kind !== filter.kind) || (filter.account && r.account !== filter.account)) continue;
    out.push({
      seq: r.seq,
      ts: r.ts,
      kind: r.kind,
      ...(r.account !== undefined ? { account: r.account } : {}),
      body: r.body as Readonly<Record<string, unknown>>,
    });
    if (out.length >= limit) break;
  }
  return out;
}
