/**
 * `riskgate journal export` (issue 18): the journal records of a time range, for an auditor, with
 * what is needed to check them against the chain: each record's stored body text, `prevHash` and
 * `hash`, the anchor (the hash the first exported record links to) and the journal's committed
 * head. hash = sha256(prevHash + `{"account":…,"body":<body>,"kind":…,"seq":…,"ts":…}`), `account`
 * left out when absent (src/store/journal-chain.ts); `verifyAuditExport` recomputes it.
 *
 * NDJSON: a first line `{"type":"audit_export",…}` (range, count, anchor, last, head), then one
 * line per record. CSV: the same header as `#` comment lines, then `seq,ts,kind,account,prevHash,
 * hash,body`. Read-only, one read transaction, streamed to `write`.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { AppError } from '../../errors.ts';
import { GENESIS_HASH, recordHash } from '../journal-chain.ts';
import { isJournalDatabase } from './schema.ts';

export interface AuditRange {
  /** ISO time, inclusive. */
  readonly from: string;
  /** ISO time, exclusive. */
  readonly to: string;
}

interface Row {
  seq: number;
  ts: string;
  kind: string;
  account: string | null;
  body: string;
  prev_hash: string;
  hash: string;
}

const CSV_COLUMNS = ['seq', 'ts', 'kind', 'account', 'prevHash', 'hash', 'body'] as const;

function csvCell(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes the export; returns the number of records. */
export function exportJournal(
  file: string,
  range: AuditRange,
  format: 'ndjson' | 'csv',
  write: (text: string) => void,
): number {
  if (!existsSync(file)) throw new AppError('ERR_FILE_NOT_FOUND', `journal file not found: ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    if (!isJournalDatabase(db)) throw new AppError('ERR_JOURNAL_NOT_A_JOURNAL', `${file}: not a riskgate journal`);
    db.exec('BEGIN');
    try {
      const where = 'FROM journal WHERE ts >= ? AND ts < ?';
      const span = db
        .prepare(`SELECT count(*) AS n, min(seq) AS first, max(seq) AS last ${where}`)
        .get(range.from, range.to) as {
        n: number;
        first: number | null;
        last: number | null;
      };
      const at = db.prepare('SELECT prev_hash, hash FROM journal WHERE seq = ?');
      const first = span.first === null ? undefined : (at.get(span.first) as { prev_hash: string });
      const last = span.last === null ? undefined : (at.get(span.last) as { hash: string });
      const head = (db.prepare('SELECT seq, hash FROM journal_head WHERE id = 1').get() as {
        seq: number;
        hash: string;
      }) ?? {
        seq: 0,
        hash: GENESIS_HASH,
      };
      const meta = {
        type: 'audit_export',
        from: range.from,
        to: range.to,
        records: span.n,
        anchor: span.first === null ? null : { seq: span.first - 1, hash: first!.prev_hash },
        last: span.last === null ? null : { seq: span.last, hash: last!.hash },
        head: { seq: head.seq, hash: head.hash },
      };
      if (format === 'ndjson') write(JSON.stringify(meta) + '\n');
      else {
        write(`# riskgate audit export ${range.from} to ${range.to}: ${span.n} record(s)\n`);
        write(`# anchor seq=${meta.anchor?.seq ?? ''} hash=${meta.anchor?.hash ?? ''}\n`);
        write(`# last seq=${meta.last?.seq ?? ''} hash=${meta.last?.hash ?? ''}\n`);
        write(`# head seq=${head.seq} hash=${head.hash}\n`);
        write(CSV_COLUMNS.join(',') + '\n');
      }
      const rows = db
        .prepare(`SELECT seq, ts, kind, account, body, prev_hash, hash ${where} ORDER BY seq`)
        .iterate(range.from, range.to) as IterableIterator<Row>;
      for (const r of rows) {
        if (format === 'ndjson')
          write(
            JSON.stringify({
              seq: r.seq,
              ts: r.ts,
              kind: r.kind,
              ...(r.account !== null ? { account: r.account } : {}),
              prevHash: r.prev_hash,
              hash: r.hash,
              body: r.body,
            }) + '\n',
          );
        else write([r.seq, r.ts, r.kind, r.account, r.prev_hash, r.hash, r.body].map(csvCell).join(',') + '\n');
      }
      return span.n;
    } finally {
      db.exec('COMMIT');
    }
  } finally {
    db.close();
  }
}

/**
 * Checks an NDJSON export as an auditor would: every record's hash recomputed from its fields,
 * each linked to the one before (the first to the anchor), the last equal to `last`. Returns the
 * first problem, or undefined when the export is intact.
 */
export function verifyAuditExport(ndjson: string): string | undefined {
  const lines = ndjson.split('\n').filter((l) => l.trim() !== '');
  const meta = JSON.parse(lines[0] ?? '{}') as {
    type?: string;
    anchor?: { seq: number; hash: string } | null;
    last?: { seq: number; hash: string } | null;
  };
  if (meta.type !== 'audit_export') return 'line 1: not a riskgate audit export';
  let prev = meta.anchor ?? undefined;
  for (let i = 1; i < lines.length; i++) {
    const r = JSON.parse(lines[i]!) as {
      seq: number;
      ts: string;
      kind: string;
      account?: string;
      prevHash: string;
      hash: string;
      body: string;
    };
    if (!prev || r.seq !== prev.seq + 1 || r.prevHash !== prev.hash)
      return `seq ${r.seq}: does not link to the record before it`;
    if (recordHash(r.prevHash, r.seq, r.ts, r.kind, r.account, r.body) !== r.hash)
      return `seq ${r.seq}: hash mismatch (record changed)`;
    prev = { seq: r.seq, hash: r.hash };
  }
  if ((meta.last?.hash ?? undefined) !== prev?.hash && meta.last !== null)
    return 'the last record is not the one the header names';
  return undefined;
}
