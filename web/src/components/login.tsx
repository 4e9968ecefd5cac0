import { useState } from 'preact/hooks';
import { ApiError } from '../api.ts';
import { credentialsOf } from '../session.ts';
import type { Credentials } from '../stream.ts';

export function Login({ onLogin }: { onLogin: (c: Credentials) => Promise<void> }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onLogin(credentialsOf(text));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? 'That key or token was not accepted.' : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login">
      <form onSubmit={submit} class="card">
        <h1>riskgate</h1>
        <label for="apikey">API key</label>
        <input
          id="apikey"
          type="password"
          autocomplete="off"
          placeholder="rg_… or a JWT"
          value={text}
          onInput={(e) => setText((e.target as HTMLInputElement).value)}
          required
          autofocus
        />
        <p class="hint">
          An API key (<code>npx riskgate admin apikey create --role trader --accounts PAPER-1</code>) or a JWT.
        </p>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || text.trim() === ''}>
          Log in
        </button>
      </form>
    </main>
  );
}
