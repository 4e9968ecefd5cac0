/** One account: today's figures, locks, rules, positions, orders, the ticket, fills, violations and equity. */
import { useState } from 'preact/hooks';
import { breachMarks } from '../account-state.ts';
import { ApiError } from '../api.ts';
import { useNow, type Live } from '../live.ts';
import type { Session } from '../session.ts';
import { useTheme } from '../theme.ts';
import type { Order } from '../types.ts';
import { Confirm } from './confirm.tsx';
import { useLabels } from '../labels.ts';
import { DailyReportCard } from './daily-report.tsx';
import { EquityChart } from './equity-chart.tsx';
import { LabelsPanel } from './labels-panel.tsx';
import { OrderTicket } from './order-ticket.tsx';
import { LockBanner, ShadowBadge, STALE_MS, Summary } from './summary.tsx';
import { Distances, Fills, Positions, WorkingOrders } from './tables.tsx';
import { Violations } from './violations.tsx';

/** A confirmation to ask, and the control that asked (focus returns to it). */
type Pending = ({ kind: 'flatten' } | { kind: 'cancel'; order: Order }) & { opener: HTMLElement | undefined };

/** The focused control at the moment it is pressed. */
const focusedControl = (): HTMLElement | undefined =>
  document.activeElement instanceof HTMLElement && document.activeElement !== document.body
    ? document.activeElement
    : undefined;

export function AccountPage({ session, live, account }: { session: Session; live: Live; account: string }) {
  const now = useNow();
  const theme = useTheme();
  const [pending, setPending] = useState<Pending | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const { labels } = useLabels(session, account, live.labelChange);
  if (!session.accounts.some((a) => a.account === account))
    return (
      <p class="error" role="alert" data-testid="unknown-account">
        Unknown account {account}.
      </p>
    );
  const view = live.views[account];
  if (!view?.risk) return <p class="loading">Loading {account}…</p>;
  const { risk } = view;
  // Flatten and cancel only reduce risk: offered to traders and admins even when the account is locked.
  const canAct = live.role === 'trader' || live.role === 'admin';
  const hasPositions = view.positions.some((p) => Number(p.qty) !== 0);
  const stale = hasPositions && (live.lastQuoteAt === undefined || now - live.lastQuoteAt > STALE_MS);
  const tz = session.timezone;

  const run = async () => {
    const p = pending!;
    setPending(undefined);
    try {
      if (p.kind === 'flatten') {
        await session.api.post(`/accounts/${encodeURIComponent(account)}/flatten`, { reason: 'dashboard flatten' });
        setNotice('Flatten sent.');
      } else {
        await session.api.delete(
          `/orders/${encodeURIComponent(p.order.orderId)}?account=${encodeURIComponent(account)}`,
        );
        setNotice(`Cancel of ${p.order.orderId} sent.`);
      }
    } catch (err) {
      setNotice(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };

  return (
    <div class="account" data-account={account}>
      <h1 class="page-title">
        {account} {risk.mode === 'shadow' && <ShadowBadge testid="account-mode" />}
      </h1>
      <LockBanner locks={risk.locks} timezone={tz} now={now} shadow={risk.mode === 'shadow'} />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <div class="grid">
        <Summary risk={risk} currency={session.currency} stale={stale} />
        <Distances distances={risk.distances} />
        <Positions
          positions={view.positions}
          currency={session.currency}
          canAct={canAct}
          onFlatten={() => setPending({ kind: 'flatten', opener: focusedControl() })}
        />
        {canAct && <OrderTicket session={session} account={account} quotes={live.quotes} />}
        <WorkingOrders
          orders={view.orders}
          timezone={tz}
          canAct={canAct}
          onCancel={(order) => setPending({ kind: 'cancel', order, opener: focusedControl() })}
        />
        <EquityChart
          title="Equity today"
          points={view.equity}
          marks={breachMarks(view.violations).map((b) => ({ time: b.time, text: b.rule }))}
          theme={theme}
          timezone={tz}
          currency={session.currency}
          labels={labels.map((l) => ({
            time: Math.floor(Date.parse(l.time) / 1000),
            text: l.text,
            ...(l.color ? { color: l.color } : {}),
          }))}
          testid="equity-chart"
        >
          <LabelsPanel
            session={session}
            account={account}
            labels={labels}
            canEdit={canAct}
            symbol={view.positions.find((p) => Number(p.qty) !== 0)?.symbol ?? 'MES'}
          />
        </EquityChart>
        <Fills fills={view.fills} timezone={tz} currency={session.currency} />
        <Violations violations={view.violations} timezone={tz} resetTime={session.resetTime} />
        <DailyReportCard session={session} account={account} />
      </div>
      {pending && (
        <Confirm
          title={pending.kind === 'flatten' ? `Flatten ${account}?` : `Cancel order ${pending.order.orderId}?`}
          confirmLabel={pending.kind === 'flatten' ? 'Flatten' : 'Cancel order'}
          onConfirm={() => void run()}
          onCancel={() => setPending(undefined)}
          opener={pending.opener}
        >
          <p>
            {pending.kind === 'flatten'
              ? 'Every open position is closed at market and every working order cancelled.'
              : `${pending.order.side} ${pending.order.qty} ${pending.order.symbol} ${pending.order.orderType}`}
          </p>
        </Confirm>
      )}
    </div>
  );
}
