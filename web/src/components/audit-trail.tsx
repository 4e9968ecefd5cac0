/**
 * The admin page's audit trail from `GET /api/v1/admin/audit`: admin locks, unlocks and config
 * changes (which no account's stream carries), newest first, with who, when, what and why.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { formatDateTime } from '../format.ts';
import type { Session } from '../session.ts';

export interface AuditEntry {
  readonly seq: number;
  readonly ts: string;
  readonly kind: 'lock' | 'unlock' | 'config';
  readonly account: string;
  readonly who: string;
  readonly what: string;
  readonly why: string;
}

/** `refresh` changes when something new may be in the journal (a live admin decision, an applied config). */
export function AuditTrail({ session, refresh }: { session: Session; refresh: string }) {
  const [entries, setEntries] = useState<readonly AuditEntry[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    let current = true;
    session.api
      .get<{ entries: AuditEntry[] }>('/admin/audit?limit=200')
      .then((r) => current && (setEntries(r.entries), setError(undefined)))
      .catch((e) => current && setError(e instanceof ApiError ? `${e.code}: ${e.message}` : String(e)));
    return () => {
      current = false;
    };
  }, [refresh]);
  return (
    <section class="card" aria-labelledby="h-audit">
      <h2 id="h-audit">Audit trail</h2>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {entries?.length === 0 && <p class="muted">No admin actions or config changes yet.</p>}
      {entries && entries.length > 0 && (
        <div class="scroll">
          <table data-testid="audit">
            <thead>
              <tr>
                <th>When</th>
                <th>Account</th>
                <th>Who</th>
                <th>What</th>
                <th>Why</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((a) => (
                <tr key={a.seq} data-kind={a.kind}>
                  <td class="num">{formatDateTime(a.ts, session.timezone)}</td>
                  <td>{a.account === '*' ? 'all' : a.account}</td>
                  <td>{a.who}</td>
                  <td>{a.what}</td>
                  <td>{a.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
