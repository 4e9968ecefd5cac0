/** API keys: the list, create (the key is shown once), revoke. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { formatDateTime } from '../format.ts';
import type { Session } from '../session.ts';

interface KeyInfo {
  id: string;
  role: string;
  accounts: string[] | '*';
  label: string | null;
  createdAt: string;
  revokedAt: string | null;
}

export function ApiKeys({ session }: { session: Session }) {
  const [keys, setKeys] = useState<KeyInfo[]>([]);
  const [role, setRole] = useState('trader');
  const [accounts, setAccounts] = useState('');
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const load = async () => setKeys((await session.api.get<{ keys: KeyInfo[] }>('/admin/apikeys')).keys);
  useEffect(() => void load().catch((e) => setError(String(e))), []);
  const guard = async (f: () => Promise<void>) => {
    setError(undefined);
    try {
      await f();
      await load();
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };
  const create = () =>
    guard(async () => {
      const list = accounts
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean);
      const body = {
        role,
        ...(role !== 'admin' && list.length ? { accounts: list } : {}),
        ...(label ? { label } : {}),
      };
      setCreated((await session.api.post<{ key: string }>('/admin/apikeys', body)).key);
    });
  return (
    <section class="card" aria-labelledby="h-keys">
      <h2 id="h-keys">API keys</h2>
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <label>
          Role
          <select value={role} onChange={(e) => setRole((e.target as HTMLSelectElement).value)}>
            <option>trader</option>
            <option>viewer</option>
            <option>admin</option>
          </select>
        </label>
        <label>
          Accounts
          <input
            value={accounts}
            placeholder="PAPER-1, PAPER-2"
            disabled={role === 'admin'}
            onInput={(e) => setAccounts((e.target as HTMLInputElement).value)}
          />
        </label>
        <label>
          Label
          <input value={label} onInput={(e) => setLabel((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Create key</button>
      </form>
      {created && (
        <div class="once" role="status">
          New key (shown once, copy it now): <code data-testid="new-key">{created}</code>
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="scroll">
        <table>
          <thead>
            <tr>
              <th>Id</th>
              <th>Role</th>
              <th>Accounts</th>
              <th>Label</th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr key={k.id} class={k.revokedAt ? 'revoked' : ''}>
                <td class="num">{k.id}</td>
                <td>{k.role}</td>
                <td>{k.accounts === '*' ? 'all' : k.accounts.join(', ')}</td>
                <td>{k.label ?? ''}</td>
                <td class="num">{formatDateTime(k.createdAt, session.timezone)}</td>
                <td>
                  {k.revokedAt ? (
                    'revoked'
                  ) : (
                    <button
                      type="button"
                      class="small"
                      onClick={() => void guard(() => session.api.delete(`/admin/apikeys/${k.id}`))}
                    >
                      Revoke
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
