/** Today's P&L, the loss room gauge, the trading state, a lock banner and "marks stale". */
import { band, countdown, formatMoney, formatTime, signOf } from '../format.ts';
import { ruleName } from '../api.ts';
import type { Lock, Risk } from '../types.ts';

/** Quotes older than this while positions are open: the P&L is marked on old prices. */
export const STALE_MS = 10_000;

function sumUnrealized(risk: Risk): string {
  // Display only: the API sends each position's unrealized P&L; their sum is shown to the cent.
  let cents = 0n;
  for (const p of risk.positions) cents += toCents(p.unrealizedPnl);
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

function toCents(dec: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(dec.trim());
  if (!m) return 0n;
  const v = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0').slice(0, 2) || '0');
  return m[1] === '-' ? -v : v;
}

function Figure({
  label,
  value,
  currency,
  testid,
}: {
  label: string;
  value: string;
  currency: string;
  testid: string;
}) {
  return (
    <div class="figure">
      <span class="label">{label}</span>
      <span class={`num big ${signOf(value)}`} data-testid={testid}>
        {formatMoney(value, currency)}
      </span>
    </div>
  );
}

export function Summary({ risk, currency, stale }: { risk: Risk; currency: string; stale: boolean }) {
  const lossLimit = risk.distances.find((d) => d.rule === 'RULE-003');
  const used = lossLimit ? Math.min(100, Math.max(0, lossLimit.usedPct)) : 0;
  return (
    <section class="card summary" aria-label="Today">
      <div class="state-row">
        <span class={`state state-${risk.state}`} data-testid="trading-state">
          {stateText(risk)}
        </span>
        <span class="muted">trading day {risk.tradingDay}</span>
        {stale && (
          <span class="stale" role="status" data-testid="marks-stale">
            marks stale
          </span>
        )}
      </div>
      <div class="figures">
        <Figure label="Net P&L today" value={netOf(risk)} currency={currency} testid="pnl-net" />
        <Figure label="Realized" value={risk.day.netRealizedPnl} currency={currency} testid="pnl-realized" />
        <Figure label="Unrealized" value={sumUnrealized(risk)} currency={currency} testid="pnl-unrealized" />
        <Figure label="Fees" value={risk.day.fees} currency={currency} testid="pnl-fees" />
      </div>
      <div class="gauge-row">
        <span class="label">Loss room</span>
        <div
          class={`gauge band-${band(used)}`}
          role="meter"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(100 - used)}
          aria-label="Loss room left"
        >
          <div class="gauge-fill" style={{ width: `${100 - used}%` }} />
        </div>
        <span class="num" data-testid="loss-room">
          {formatMoney(risk.lossRoom, currency)}
        </span>
      </div>
    </section>
  );
}

/** In shadow mode a non-ACTIVE state blocks nothing: it is what riskgate would do when enforcing. */
export function stateText(risk: Pick<Risk, 'state' | 'mode'>): string {
  return risk.mode === 'shadow' && risk.state !== 'ACTIVE' ? `would be ${risk.state}` : risk.state;
}

function netOf(risk: Risk): string {
  const cents = toCents(risk.day.netRealizedPnl) + toCents(sumUnrealized(risk));
  const abs = cents < 0n ? -cents : cents;
  return `${cents < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

export function LockBanner({
  locks,
  timezone,
  now,
  shadow = false,
}: {
  locks: readonly Lock[];
  timezone: string;
  now: number;
  shadow?: boolean;
}) {
  if (locks.length === 0) return null;
  return (
    <section class={shadow ? 'banner shadow' : 'banner'} role="alert" data-testid="lock-banner">
      {locks.map((l) => (
        <div key={`${l.rule}-${l.since}`} class="lock">
          <strong>
            {lockTitle(l.kind, shadow)}: {ruleName(l.rule)}
          </strong>
          <span>{l.reason}</span>
          <span class="num until">{untilText(l, timezone, now)}</span>
        </div>
      ))}
    </section>
  );
}

function lockTitle(kind: Lock['kind'], shadow: boolean): string {
  if (shadow) return kind === 'cooldown' ? 'Would have cooled down' : 'Would have locked';
  return kind === 'cooldown' ? 'Cooldown' : 'Locked';
}

/** The store is in shadow mode: a badge that nothing is enforced (the detail hides on a phone). */
export function ShadowBadge({ testid }: { testid: string }) {
  return (
    <span
      class="mode-badge"
      data-testid={testid}
      title="Shadow mode: riskgate journals what it would do; it blocks, cancels and flattens nothing."
    >
      <strong>SHADOW</strong>
      <span class="mode-detail"> — watching, not enforcing</span>
    </span>
  );
}

function untilText(l: Lock, timezone: string, now: number): string {
  if (l.until === 'admin') return 'until an admin unlocks';
  if (l.until === 'canTrade') return 'until the broker allows trading';
  return `ends in ${countdown(l.until, now)} (${formatTime(l.until, timezone)})`;
}
