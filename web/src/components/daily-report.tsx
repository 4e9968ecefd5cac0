/**
 * The daily report of an account (GET …/reports/daily) for a trading day picked by date (default
 * today in the trading zone), with CSV and HTML downloads fetched with the login's headers, and in
 * shadow mode the "Would have" panel (GET …/shadow-report).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, ruleName } from '../api.ts';
import { formatDateTime, formatMoney, formatNumber, signOf, tradingDayOf } from '../format.ts';
import type { Session } from '../session.ts';
import type { DailyReport, ShadowReport } from '../types.ts';

type Loaded = { report: DailyReport; shadow: ShadowReport | undefined };

export function DailyReportCard({ session, account }: { session: Session; account: string }) {
  const [date, setDate] = useState(() => tradingDayOf(new Date().toISOString(), session.timezone, session.resetTime));
  const [loaded, setLoaded] = useState<Loaded | undefined>();
  const [error, setError] = useState<string | undefined>();
  const path = (tail: string) => `/accounts/${encodeURIComponent(account)}/${tail}?date=${date}`;

  const load = async () => {
    setError(undefined);
    try {
      const report = await session.api.get<DailyReport>(path('reports/daily'));
      const shadow = report.mode === 'shadow' ? await session.api.get<ShadowReport>(path('shadow-report')) : undefined;
      setLoaded({ report, shadow });
    } catch (err) {
      setLoaded(undefined);
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };
  useEffect(() => void load(), [session, account, date]);

  const download = async (format: 'csv' | 'html') => {
    try {
      const blob = await session.api.blob(`${path('reports/daily')}&format=${format}`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `riskgate-${account}-${date}.${format}`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };

  const r = loaded?.report;
  const money = (v: string) => formatMoney(v, session.currency);
  return (
    <section class="card report-card" aria-labelledby="h-daily" data-testid="daily-report">
      <h2 id="h-daily">Daily report</h2>
      <div class="report-tools">
        <label>
          Trading day
          <input type="date" value={date} onChange={(e) => setDate((e.target as HTMLInputElement).value)} />
        </label>
        <button type="button" onClick={() => void load()}>
          Refresh
        </button>
        <button type="button" onClick={() => void download('csv')} data-testid="download-csv">
          CSV
        </button>
        <button type="button" onClick={() => void download('html')} data-testid="download-html">
          HTML
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {r && (
        <dl class="figures" data-date={r.date} data-mode={r.mode}>
          <Figure
            name="Realized (net)"
            field="netRealizedPnl"
            value={r.netRealizedPnl}
            text={money(r.netRealizedPnl)}
          />
          <Figure name="Unrealized" field="unrealizedPnl" value={r.unrealizedPnl} text={money(r.unrealizedPnl)} />
          <Figure name="Fees" field="fees" value={r.fees} text={money(r.fees)} />
          <Figure name="Trades" field="trades" value={String(r.trades)} text={String(r.trades)} />
          <Figure name="Breaches" field="breaches" value={String(r.breaches.length)} text={String(r.breaches.length)} />
          <Figure
            name="Rejections"
            field="rejections"
            value={String(r.rejections.length)}
            text={String(r.rejections.length)}
          />
          <Figure
            name="Slippage"
            field="slippage"
            value={r.slippage.money}
            text={`${money(r.slippage.money)} (${formatNumber(r.slippage.ticks)} ticks)`}
          />
          <Figure name="Max drawdown" field="maxDrawdown" value={r.maxDrawdown} text={money(r.maxDrawdown)} />
        </dl>
      )}
      {r && !r.complete && <p class="muted">The day is not over: figures so far.</p>}
      {loaded?.shadow && <WouldHave shadow={loaded.shadow} timezone={session.timezone} />}
    </section>
  );
}

function Figure(p: { name: string; field: string; value: string; text: string }) {
  return (
    <div data-field={p.field} data-value={p.value}>
      <dt>{p.name}</dt>
      <dd class={`num ${signOf(p.value)}`}>{p.text}</dd>
    </div>
  );
}

/** Shadow mode: what riskgate would have done that day, had it enforced. */
function WouldHave({ shadow, timezone }: { shadow: ShadowReport; timezone: string }) {
  const at = (iso: string) => formatDateTime(iso, timezone);
  return (
    <div class="would-have" data-testid="would-have" role="region" aria-labelledby="h-would-have">
      <h3 id="h-would-have">Would have (shadow mode)</h3>
      <ul>
        <li data-field="lockedAt">
          Locked at:{' '}
          {shadow.wouldHaveLockedAt
            ? `${at(shadow.wouldHaveLockedAt.ts)} by ${ruleName(shadow.wouldHaveLockedAt.rule)}, until ${at(shadow.wouldHaveLockedAt.until)}`
            : 'not locked'}
        </li>
        <li data-field="flattenedAt">
          Flattened at:{' '}
          {shadow.wouldHaveFlattenedAt
            ? `${at(shadow.wouldHaveFlattenedAt.ts)} by ${ruleName(shadow.wouldHaveFlattenedAt.rule)}`
            : 'not flattened'}
        </li>
        <li data-field="closed" data-value={String(shadow.wouldHaveClosed.length)}>
          Closed: {shadow.wouldHaveClosed.length === 0 ? 'none' : ''}
          {shadow.wouldHaveClosed.map((c) => `${c.symbol ?? ''} at ${at(c.ts)} (${ruleName(c.rule)})`).join('; ')}
        </li>
        <li data-field="rejected" data-value={String(shadow.wouldHaveRejected.length)}>
          Rejected orders: {shadow.wouldHaveRejected.length}
        </li>
      </ul>
    </div>
  );
}
