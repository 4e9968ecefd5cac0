/** The dashboard shell: login, then the header (accounts, pages, link state, theme) and the page of the route. */
import { useEffect, useState } from 'preact/hooks';
import { forgetCredentials, openSession, savedCredentials, type Session } from './session.ts';
import { useLive } from './live.ts';
import { Login } from './components/login.tsx';
import { Header } from './components/header.tsx';
import { AccountPage } from './components/account-page.tsx';
import { AdminPage } from './components/admin-page.tsx';
import { ReportsPage } from './components/reports-page.tsx';
import type { Credentials } from './stream.ts';

type Route = { page: 'account'; account: string } | { page: 'admin' } | { page: 'reports' } | { page: 'home' };

export function routeOf(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  if (parts[0] === 'account' && parts[1]) return { page: 'account', account: parts[1] };
  if (parts[0] === 'admin') return { page: 'admin' };
  if (parts[0] === 'reports') return { page: 'reports' };
  return { page: 'home' };
}

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

export function App() {
  const [session, setSession] = useState<Session | undefined>();
  const [restoring, setRestoring] = useState(() => savedCredentials() !== undefined);
  const login = async (creds: Credentials) => setSession(await openSession(creds));
  useEffect(() => {
    const saved = savedCredentials();
    if (saved)
      login(saved)
        .catch(() => forgetCredentials())
        .finally(() => setRestoring(false));
  }, []);
  if (restoring) return <p class="loading">Loading…</p>;
  if (!session) return <Login onLogin={login} />;
  return (
    <Dashboard
      session={session}
      onLogout={() => {
        forgetCredentials();
        setSession(undefined);
      }}
    />
  );
}

function Dashboard({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const live = useLive(session);
  const hash = useHash();
  let route = routeOf(hash);
  const first = session.accounts[0]?.account;
  if (route.page === 'home' && first) route = { page: 'account', account: first };
  return (
    <div class="shell">
      <Header session={session} live={live} route={route} onLogout={onLogout} />
      <main id="main">
        {route.page === 'account' && <AccountPage session={session} live={live} account={route.account} />}
        {route.page === 'admin' && <AdminPage session={session} live={live} />}
        {route.page === 'reports' && <ReportsPage session={session} />}
        {route.page === 'home' && <p>This login sees no accounts.</p>}
      </main>
    </div>
  );
}
