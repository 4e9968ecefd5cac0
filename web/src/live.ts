/**
 * The live state of the accounts shown: a LiveStream feeding each account's view, REST reloads
 * when the stream asks for one, the latest quotes, and the link's state for the header.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { applyMessage, emptyView, fromSnapshot, type AccountView } from './account-state.ts';
import type { Session } from './session.ts';
import { LiveStream, type LinkState } from './stream.ts';
import type { Fill, Label, LabelEvent, Order, Position, Quote, Risk, Role, Violation } from './types.ts';

export interface Live {
  readonly views: Readonly<Record<string, AccountView>>;
  readonly quotes: Readonly<Record<string, Quote>>;
  readonly link: LinkState;
  readonly linkDetail: string | undefined;
  readonly role: Role | undefined;
  /** Wall time (ms) the last quote arrived, for "marks stale". */
  readonly lastQuoteAt: number | undefined;
  /** The latest chart label change pushed by the server (a new object for every change). */
  readonly labelChange: LabelChange | undefined;
  reload(account: string): Promise<void>;
}

export interface LabelChange {
  readonly event: LabelEvent;
  readonly label: Label;
}

export async function loadAccount(session: Session, account: string, prev: AccountView): Promise<AccountView> {
  const a = encodeURIComponent(account);
  const [risk, positions, orders, fills, violations] = await Promise.all([
    session.api.get<Risk>(`/accounts/${a}/risk`),
    session.api.get<{ positions: Position[] }>(`/accounts/${a}/positions`),
    session.api.get<{ orders: Order[] }>(`/accounts/${a}/orders`),
    session.api.get<{ fills: Fill[] }>(`/accounts/${a}/fills?limit=200`),
    session.api.get<{ violations: Violation[] }>(`/accounts/${a}/violations?limit=500`),
  ]);
  return fromSnapshot(prev, {
    risk,
    positions: positions.positions,
    orders: orders.orders,
    fills: fills.fills,
    violations: violations.violations,
  });
}

export function useLive(session: Session): Live {
  const [views, setViews] = useState<Record<string, AccountView>>({});
  const [quotes, setQuotes] = useState<Record<string, Quote>>({});
  const [link, setLink] = useState<{ state: LinkState; detail?: string }>({ state: 'connecting' });
  const [role, setRole] = useState<Role | undefined>();
  const [lastQuoteAt, setLastQuoteAt] = useState<number | undefined>();
  const [labelChange, setLabelChange] = useState<LabelChange | undefined>();
  const viewsRef = useRef(views);
  viewsRef.current = views;

  const reload = async (account: string) => {
    try {
      const next = await loadAccount(session, account, viewsRef.current[account] ?? emptyView(account));
      setViews((v) => ({ ...v, [account]: next }));
    } catch (err) {
      setLink((l) => ({ ...l, detail: `reload of ${account} failed: ${(err as Error).message}` }));
    }
  };

  useEffect(() => {
    const accounts = session.accounts.map((a) => a.account);
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
    const stream = new LiveStream(url, session.creds, accounts, {
      onMessage: (m) => setViews((v) => ({ ...v, [m.account]: applyMessage(v[m.account] ?? emptyView(m.account), m) })),
      onQuote: (q) => {
        setQuotes((all) => ({ ...all, [q.symbol]: q }));
        setLastQuoteAt(Date.now());
      },
      onResync: (account) => void reload(account),
      onState: (state, detail) => setLink({ state, ...(detail ? { detail } : {}) }),
      onRole: setRole,
      onLabel: (event, label) => setLabelChange({ event, label }),
    });
    stream.start();
    return () => stream.stop();
  }, [session]);

  return { views, quotes, link: link.state, linkDetail: link.detail, role, lastQuoteAt, labelChange, reload };
}

/** Ticks every `ms` for countdowns and staleness. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}
