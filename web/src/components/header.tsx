import { useState } from 'preact/hooks';
import { setTheme, useTheme } from '../theme.ts';
import type { Live } from '../live.ts';
import type { Session } from '../session.ts';
import { ShadowBadge } from './summary.tsx';

type Route = { page: string; account?: string };

const LINK_TEXT = {
  connecting: 'connecting…',
  live: 'live',
  reconnecting: 'disconnected — reconnecting…',
  failed: 'disconnected',
};

export function Header({
  session,
  live,
  route,
  onLogout,
}: {
  session: Session;
  live: Live;
  route: Route;
  onLogout: () => void;
}) {
  const theme = useTheme();
  const toggle = () => setTheme(theme === 'dark' ? 'light' : 'dark');
  const current = (r: Route) => r.page === route.page && r.account === route.account;
  // On a phone the page links fold into a menu so the header stays one line (CSS decides the width).
  const [menuOpen, setMenuOpen] = useState(false);
  return (
    <header class="top">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <strong class="brand">riskgate</strong>
      <button
        type="button"
        class="ghost menu-toggle"
        aria-expanded={menuOpen}
        aria-controls="pages-nav"
        aria-label="Pages menu"
        onClick={() => setMenuOpen(!menuOpen)}
      >
        ☰
      </button>
      <nav id="pages-nav" aria-label="Pages" class={menuOpen ? 'open' : ''} onClick={() => setMenuOpen(false)}>
        {session.accounts.map((a) => (
          <a
            key={a.account}
            href={`#/account/${encodeURIComponent(a.account)}`}
            aria-current={current({ page: 'account', account: a.account }) ? 'page' : undefined}
          >
            {a.account}
          </a>
        ))}
        <a href="#/reports" aria-current={current({ page: 'reports' }) ? 'page' : undefined}>
          Reports
        </a>
        {live.role === 'admin' && (
          <a href="#/admin" aria-current={current({ page: 'admin' }) ? 'page' : undefined}>
            Admin
          </a>
        )}
      </nav>
      {session.accounts.some((a) => a.mode === 'shadow') && <ShadowBadge testid="mode-badge" />}
      <span class={`link link-${live.link}`} role="status" data-testid="link-state" title={live.linkDetail ?? ''}>
        {LINK_TEXT[live.link]}
      </span>
      <span class="role">{live.role ?? ''}</span>
      <button
        type="button"
        class="ghost"
        onClick={toggle}
        aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
      >
        {theme === 'dark' ? '☀' : '☾'}
      </button>
      <button type="button" class="ghost" onClick={onLogout}>
        Log out
      </button>
    </header>
  );
}
