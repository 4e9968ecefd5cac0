/**
 * An alert (DESIGN §7): what happened to an account, how bad it is, and the JSON body every channel
 * derives its message from. The same `id` goes out on every retry so receivers can de-duplicate.
 */

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_KINDS = [
  'breach',
  'lockout',
  'unlock',
  'enforcement_failed',
  'enforcement_confirmed',
  'trading_state',
  'reconcile_mismatch',
  'marks_stale',
  'distance',
  'budget',
  'digest',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  readonly id: string;
  /** ISO time the alert was raised. */
  readonly ts: string;
  readonly kind: AlertKind;
  readonly severity: Severity;
  /** The account it is about; `*` for alerts spanning accounts (a digest). */
  readonly account: string;
  readonly rule?: string;
  readonly message: string;
  readonly data?: Readonly<Record<string, unknown>>;
  /** Throttling key (never sent): kind, account and rule unless a source narrows it (e.g. a ladder level). */
  readonly key: string;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function alertKey(kind: AlertKind, account: string, rule?: string): string {
  return `${kind}|${account}|${rule ?? ''}`;
}

/** The wire body, fields in the DESIGN §7 order. */
export function alertBody(a: Alert): Record<string, unknown> {
  return {
    id: a.id,
    ts: a.ts,
    kind: a.kind,
    severity: a.severity,
    account: a.account,
    ...(a.rule !== undefined ? { rule: a.rule } : {}),
    message: a.message,
    ...(a.data !== undefined ? { data: a.data } : {}),
  };
}

/** One line for chat and email subjects: `[CRITICAL] A1 breach RULE-003: …`. */
export function alertLine(a: Alert): string {
  return `[${a.severity.toUpperCase()}] ${a.account} ${a.kind}${a.rule ? ` ${a.rule}` : ''}: ${a.message}`;
}
