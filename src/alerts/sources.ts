/**
 * Alerts from the trading node's bus: breaches, lockouts starting and ending, enforcement failed or
 * confirmed, reconciliation mismatches with the venue, trading-state changes into REDUCING / HALTED
 * (and back to ACTIVE), and the distance
 * ladder (50 / 70 / 85 / 100 % of each limit, once per level per rule per trading day).
 * Pure over the messages it is given: it remembers what it has seen, never the time.
 */
import type { BusMessage } from '../node/bus.ts';
import { alertKey, type AlertKind, type Severity } from './alert.ts';

export interface AlertDraft {
  readonly kind: AlertKind;
  readonly severity: Severity;
  readonly account: string;
  readonly rule?: string;
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly key?: string;
}

/** Rules whose lockout ends the trading day (daily loss, daily profit target, trailing drawdown). */
const DAY_ENDING_RULES = new Set(['RULE-003', 'RULE-013', 'RULE-014']);
export const LADDER_LEVELS = [50, 70, 85, 100] as const;

interface LockJson {
  rule: string;
  kind: string;
  until: string;
  since: string;
  reason: string;
}

interface DistanceJson {
  rule: string;
  symbol?: string;
  value: string;
  limit: string;
  remaining: string;
  usedPct: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export class BusAlertSource {
  private readonly locks = new Map<string, Map<string, LockJson>>();
  private readonly states = new Map<string, string>();
  private readonly ladders = new Map<string, { day: string; levels: Map<string, number> }>();
  private readonly staleMarks = new Map<string, boolean>();

  /** The alerts one bus message raises (none for most). */
  alertsOf(m: BusMessage): AlertDraft[] {
    if (m.channel === 'quotes') return [];
    const d = m.data;
    switch (m.channel) {
      case 'violations':
        return d.kind === 'breach' ? [breach(m.account, d)] : [];
      case 'locks':
        return Array.isArray(d.locks) ? this.lockChanges(m.account, d.locks as LockJson[]) : [];
      case 'enforcements':
        return enforcement(m.account, d);
      case 'state':
        return d.event === 'reconcile_mismatch' ? [reconcileMismatch(m.account, d)] : this.stateChange(m.account, d);
      case 'risk':
        return [
          ...(Array.isArray(d.locks) ? this.lockChanges(m.account, d.locks as LockJson[]) : []),
          ...this.stateChange(m.account, d),
          ...(Array.isArray(d.marksStale) ? this.marksChange(m.account, d.marksStale.map(String)) : []),
          ...(Array.isArray(d.distances)
            ? this.ladder(m.account, str(d.tradingDay) ?? '', d.distances as DistanceJson[])
            : []),
        ];
      default:
        return [];
    }
  }

  private lockChanges(account: string, list: readonly LockJson[]): AlertDraft[] {
    const before = this.locks.get(account) ?? new Map<string, LockJson>();
    const after = new Map(list.map((l) => [`${l.rule}|${l.kind}|${l.since}`, l]));
    this.locks.set(account, after);
    const out: AlertDraft[] = [];
    for (const [id, l] of after) {
      if (before.has(id)) continue;
      const severity: Severity = l.kind === 'lockout' && DAY_ENDING_RULES.has(l.rule) ? 'critical' : 'warning';
      out.push({
        kind: 'lockout',
        severity,
        account,
        rule: l.rule,
        message: `${l.kind} until ${l.until}: ${l.reason}`,
        data: { lockKind: l.kind, until: l.until, since: l.since },
      });
    }
    for (const [id, l] of before) {
      if (!after.has(id))
        out.push({
          kind: 'unlock',
          severity: 'info',
          account,
          rule: l.rule,
          message: `${l.kind} ended`,
          data: { lockKind: l.kind, since: l.since },
        });
    }
    return out;
  }

  /** Marks of a live venue feed going stale (warning) and fresh again (info). */
  private marksChange(account: string, reasons: readonly string[]): AlertDraft[] {
    const stale = reasons.length > 0;
    if (stale === (this.staleMarks.get(account) ?? false)) return [];
    this.staleMarks.set(account, stale);
    return [
      {
        kind: 'marks_stale',
        severity: stale ? 'warning' : 'info',
        account,
        message: stale ? `marks stale: ${reasons.join('; ')}` : 'marks fresh again',
        data: { stale, reasons },
      },
    ];
  }

  private stateChange(account: string, d: Readonly<Record<string, unknown>>): AlertDraft[] {
    const state = str(d.state);
    if (!state) return [];
    const prev = this.states.get(account) ?? 'ACTIVE';
    this.states.set(account, state);
    if (state === prev) return [];
    const reasons = Array.isArray(d.stateReasons)
      ? (d.stateReasons as unknown[]).map(String)
      : Array.isArray(d.reasons)
        ? (d.reasons as unknown[]).map(String)
        : [];
    const severity: Severity = state === 'HALTED' ? 'critical' : state === 'REDUCING' ? 'warning' : 'info';
    const why = reasons.length ? `: ${reasons.join('; ')}` : '';
    return [
      {
        kind: 'trading_state',
        severity,
        account,
        message: `trading state ${prev} → ${state}${why}`,
        data: { from: prev, to: state, reasons },
      },
    ];
  }

  private ladder(account: string, day: string, distances: readonly DistanceJson[]): AlertDraft[] {
    let seen = this.ladders.get(account);
    if (!seen || seen.day !== day) this.ladders.set(account, (seen = { day, levels: new Map() }));
    const out: AlertDraft[] = [];
    for (const dist of distances) {
      const level = [...LADDER_LEVELS].reverse().find((l) => dist.usedPct >= l);
      const id = `${dist.rule}|${dist.symbol ?? ''}`;
      if (level === undefined || level <= (seen.levels.get(id) ?? 0)) continue;
      seen.levels.set(id, level);
      const severity: Severity = level >= 100 ? 'critical' : level >= 85 ? 'warning' : 'info';
      const on = dist.symbol ? ` ${dist.symbol}` : '';
      out.push({
        kind: 'distance',
        severity,
        account,
        rule: dist.rule,
        message: `${level}% of the limit used${on}: ${dist.value} of ${dist.limit} (${dist.remaining} left)`,
        data: {
          level,
          usedPct: dist.usedPct,
          value: dist.value,
          limit: dist.limit,
          remaining: dist.remaining,
          tradingDay: day,
          ...(dist.symbol ? { symbol: dist.symbol } : {}),
        },
        // each level is its own alert: a cooldown on the rule would hold 70 % back behind 50 %
        key: `${alertKey('distance', account, dist.rule)}|${dist.symbol ?? ''}|${level}`,
      });
    }
    return out;
  }
}

function breach(account: string, d: Readonly<Record<string, unknown>>): AlertDraft {
  const rule = str(d.rule) ?? '';
  const symbol = str(d.symbol);
  const severity: Severity = DAY_ENDING_RULES.has(rule) ? 'critical' : 'warning';
  return {
    kind: 'breach',
    severity,
    account,
    rule,
    message: `${str(d.action) ?? 'breach'}${symbol ? ` ${symbol}` : ''}: ${str(d.reason) ?? ''}`,
    data: { action: d.action, ...(symbol ? { symbol } : {}), ...(d.outcomes ? { outcomes: d.outcomes } : {}) },
  };
}

/** The venue's positions or working orders differed from riskgate's; the venue's were adopted. */
function reconcileMismatch(account: string, d: Readonly<Record<string, unknown>>): AlertDraft {
  const list = Array.isArray(d.mismatches) ? (d.mismatches as Record<string, unknown>[]) : [];
  const state = str(d.tradingState) ?? 'REDUCING';
  const what = list.map((m) => str(m.message) ?? `${str(m.kind) ?? 'mismatch'} ${str(m.symbol) ?? ''}`).join('; ');
  return {
    kind: 'reconcile_mismatch',
    severity: 'critical',
    account,
    rule: 'RECONCILE',
    message: `reconciliation mismatch: ${list.length} difference(s) with the venue, venue state adopted; account ${state} until a clean reconcile pass${what ? `: ${what}` : ''}`,
    data: { tradingState: state, mismatches: list },
  };
}

function enforcement(account: string, d: Readonly<Record<string, unknown>>): AlertDraft[] {
  const status = str(d.status);
  if (status !== 'failed' && status !== 'confirmed') return [];
  const symbol = str(d.symbol);
  const what = `${str(d.kind) ?? 'enforcement'}${symbol ? ` ${symbol}` : ''}`;
  const note = str(d.note);
  const data = {
    key: d.key,
    action: d.kind,
    attempts: d.attempts,
    ...(symbol ? { symbol } : {}),
    ...(note ? { note } : {}),
  };
  const rule = str(d.rule);
  if (status === 'failed') {
    return [
      {
        kind: 'enforcement_failed',
        severity: 'critical',
        account,
        ...(rule ? { rule } : {}),
        message: `${what} FAILED after ${String(d.attempts)} attempt(s)${note ? `: ${note}` : ''}`,
        data,
      },
    ];
  }
  return [
    {
      kind: 'enforcement_confirmed',
      severity: 'info',
      account,
      ...(rule ? { rule } : {}),
      message: `${what} confirmed`,
      data,
    },
  ];
}
