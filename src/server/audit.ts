/**
 * The audit trail of account-wide and admin decisions, from the journal: admin locks and unlocks
 * (`admin` records) and config changes (`config` records), each as who / when / what / why.
 * Config changes go to no account's stream, so this is the only place a client sees them.
 */
import type { JournalRecordView } from '../node/node.ts';

export interface AuditEntry {
  readonly seq: number;
  readonly ts: string;
  readonly kind: 'lock' | 'unlock' | 'config';
  /** The account acted on; `*` for a config change (every account). */
  readonly account: string;
  /** `api:<key id>` over the API, `cli`/`admin` from the command line, `start` for a config given at start. */
  readonly who: string;
  readonly what: string;
  readonly why: string;
}

/** Journal records as audit entries, newest first, at or after `from` (ISO), at most `limit`. */
export function auditEntries(
  records: readonly JournalRecordView[],
  from: string | undefined,
  limit: number,
): AuditEntry[] {
  return records
    .filter((r) => (r.kind === 'admin' || r.kind === 'config') && (from === undefined || r.ts >= from))
    .sort((a, b) => b.seq - a.seq)
    .slice(0, limit)
    .map(entryOf);
}

function entryOf(r: JournalRecordView): AuditEntry {
  const b = r.body;
  const text = (v: unknown, fallback: string) => (typeof v === 'string' && v ? v : fallback);
  if (r.kind === 'config') {
    const changed = Array.isArray(b.changed) ? (b.changed as string[]) : undefined;
    return {
      seq: r.seq,
      ts: r.ts,
      kind: 'config',
      account: '*',
      who: text(b.actor, 'unknown'),
      what: changed === undefined ? 'config change' : `config change: ${changed.join(', ') || 'nothing changed'}`,
      why: text(b.reason, ''),
    };
  }
  const action = b.action === 'unlock' ? 'unlock' : 'lock';
  return {
    seq: r.seq,
    ts: r.ts,
    kind: action,
    account: text(b.account, r.account ?? ''),
    who: text(b.actor, 'admin'),
    what: action === 'lock' ? 'admin lock (until an admin unlocks)' : 'admin unlock (every lock released)',
    why: text(b.reason, ''),
  };
}
