/** Admin: lock and unlock with a reason, the audit trail (GET /admin/audit), API keys and the config editor. */
import { useState } from 'preact/hooks';
import { auditTrail } from '../account-state.ts';
import { ApiError } from '../api.ts';
import type { Live } from '../live.ts';
import type { Session } from '../session.ts';
import { ApiKeys } from './api-keys.tsx';
import { AuditTrail } from './audit-trail.tsx';
import { ConfigEditor } from './config-editor.tsx';

export function AdminPage({ session, live }: { session: Session; live: Live }) {
  const [applied, setApplied] = useState(0);
  if (live.role !== 'admin') return <p class="error">The admin page needs an admin key.</p>;
  // A lock or unlock arrives over the stream; a config change only through the editor's answer.
  const seen = Object.values(live.views)
    .map((v) => auditTrail(v.violations).length)
    .join(',');
  return (
    <div class="admin">
      <h1 class="page-title">Admin</h1>
      <div class="grid">
        <LockControls session={session} live={live} />
        <AuditTrail session={session} refresh={`${seen}/${applied}`} />
        <ApiKeys session={session} />
        <ConfigEditor session={session} onApplied={() => setApplied((n) => n + 1)} />
      </div>
    </div>
  );
}

function LockControls({ session, live }: { session: Session; live: Live }) {
  const [account, setAccount] = useState(session.accounts[0]?.account ?? '');
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | undefined>();
  const risk = live.views[account]?.risk;
  const act = async (action: 'lock' | 'unlock') => {
    try {
      await session.api.post(`/admin/accounts/${encodeURIComponent(account)}/${action}`, { reason: reason.trim() });
      setResult({ ok: true, text: `${account} ${action === 'lock' ? 'locked' : 'unlocked'}.` });
      setReason('');
    } catch (err) {
      setResult({ ok: false, text: err instanceof ApiError ? `${err.code}: ${err.message}` : String(err) });
    }
  };
  return (
    <section class="card" aria-labelledby="h-locks">
      <h2 id="h-locks">Lock / unlock</h2>
      <form onSubmit={(e) => e.preventDefault()}>
        <label for="lock-account">Account</label>
        <select id="lock-account" value={account} onChange={(e) => setAccount((e.target as HTMLSelectElement).value)}>
          {session.accounts.map((a) => (
            <option key={a.account}>{a.account}</option>
          ))}
        </select>
        <p>
          State: <span class={`state state-${risk?.state ?? ''}`}>{risk?.state ?? '…'}</span>{' '}
          {risk && risk.locks.length > 0 && (
            <span class="muted">locks: {risk.locks.map((l) => l.rule).join(', ')}</span>
          )}
        </p>
        <label for="lock-reason">Reason (required, journaled)</label>
        <input id="lock-reason" value={reason} onInput={(e) => setReason((e.target as HTMLInputElement).value)} />
        <div class="actions">
          <button type="button" class="danger" disabled={!reason.trim()} onClick={() => void act('lock')}>
            Lock
          </button>
          <button type="button" disabled={!reason.trim()} onClick={() => void act('unlock')}>
            Unlock
          </button>
        </div>
      </form>
      {result && (
        <p class={result.ok ? 'ok' : 'error'} role="status">
          {result.text}
        </p>
      )}
    </section>
  );
}
