/**
 * `riskgate golive check <account>` (issue 18): the checklist an account passes before it
 * graduates from shadow to paper to limited live. Read from a shadow store (a `riskgate start
 * --mode shadow` data dir) beside or after its node:
 *
 *   shadow_days     N complete shadow trading days (golive.shadowDays, default 5) with no
 *                   unexpected decision: no gateway alert (a failed enforcement, a reconcile
 *                   mismatch) and no HALTED state. Breaches are what the rules are for: expected.
 *   reconciliation  the last reconcile mismatch, if any, was followed by a return to ACTIVE
 *   alerts          every configured alert channel has delivered at least one alert
 *   journal         the hash chain verifies
 */
import type { DeliveryRecords } from '../alerts/delivery-log.ts';
import type { Stage } from '../config/stage.ts';

export type GoLiveItemId = 'shadow_days' | 'reconciliation' | 'alerts' | 'journal';

export interface GoLiveItem {
  readonly id: GoLiveItemId;
  readonly ok: boolean;
  readonly detail: string;
  /** What is missing, one line each (empty when ok). */
  readonly missing: readonly string[];
}

export interface GoLiveResult {
  readonly account: string;
  readonly stage: Stage | null;
  readonly next: Stage | null;
  readonly ready: boolean;
  readonly items: readonly GoLiveItem[];
}

export interface GoLiveRecord {
  readonly ts: string;
  readonly kind: string;
  readonly body: Readonly<Record<string, unknown>>;
}

export interface GoLiveInput {
  readonly account: string;
  readonly mode: 'shadow' | 'enforce';
  readonly dataDir: string;
  readonly stage: Stage | undefined;
  /** The trading day in progress (its label): not a complete shadow day yet. */
  readonly currentDay: string | undefined;
  readonly requiredDays: number;
  /** Days (labels) with events of the account, oldest first. */
  readonly eventDays: readonly string[];
  /** The account's `alert` and `trading_state` journal records, oldest first. */
  readonly records: readonly GoLiveRecord[];
  readonly dayOf: (ts: string) => string;
  readonly channels: readonly string[];
  readonly deliveries: DeliveryRecords;
  readonly journal: { readonly ok: boolean; readonly detail: string };
}

const NEXT: Record<Stage, Stage | null> = { shadow: 'paper', paper: 'limited', limited: 'live', live: null };

export function goLiveCheck(input: GoLiveInput): GoLiveResult {
  const items = [shadowDays(input), reconciliation(input), alerts(input), journal(input)];
  const stage = input.stage ?? null;
  return {
    account: input.account,
    stage,
    next: stage ? NEXT[stage] : null,
    ready: items.every((i) => i.ok),
    items,
  };
}

function shadowDays(input: GoLiveInput): GoLiveItem {
  const need = input.requiredDays;
  if (input.mode !== 'shadow') {
    return {
      id: 'shadow_days',
      ok: false,
      detail: `0 of ${need} shadow day(s)`,
      missing: [
        `${input.dataDir} runs in enforce mode: shadow days come from a \`riskgate start --mode shadow\` store`,
      ],
    };
  }
  const unexpected = new Map<string, string>();
  for (const r of input.records) {
    const why = unexpectedOf(r);
    const day = input.dayOf(r.ts);
    if (why && !unexpected.has(day)) unexpected.set(day, why);
  }
  const complete = input.eventDays.filter((d) => input.currentDay === undefined || d < input.currentDay);
  const clean = complete.filter((d) => !unexpected.has(d));
  const missing = complete.filter((d) => unexpected.has(d)).map((d) => `${d}: ${unexpected.get(d)}`);
  if (clean.length < need)
    missing.push(`${need - clean.length} more complete shadow day(s) without unexpected decisions`);
  return {
    id: 'shadow_days',
    ok: clean.length >= need,
    detail: `${clean.length} of ${need} clean shadow day(s)${clean.length ? ` (${clean[0]} … ${clean.at(-1)})` : ''}`,
    missing: clean.length >= need ? [] : missing,
  };
}

function unexpectedOf(r: GoLiveRecord): string | undefined {
  if (r.kind === 'alert') return `alert ${String(r.body.rule ?? '')}: ${String(r.body.reason ?? '')}`.trim();
  if (r.kind === 'trading_state' && r.body.state === 'HALTED') return `HALTED: ${String(r.body.reason ?? '')}`;
  return undefined;
}

function reconciliation(input: GoLiveInput): GoLiveItem {
  let lastMismatch: GoLiveRecord | undefined;
  let activeAfter = false;
  for (const r of input.records) {
    if (r.kind === 'alert' && r.body.rule === 'RECONCILE') {
      lastMismatch = r;
      activeAfter = false;
    } else if (r.kind === 'trading_state' && r.body.state === 'ACTIVE' && lastMismatch) activeAfter = true;
  }
  if (!lastMismatch) return { id: 'reconciliation', ok: true, detail: 'no mismatch with the broker', missing: [] };
  const what = `${lastMismatch.ts} ${String(lastMismatch.body.reason ?? '')}`;
  return activeAfter
    ? { id: 'reconciliation', ok: true, detail: `last mismatch corrected and cleared (${what})`, missing: [] }
    : {
        id: 'reconciliation',
        ok: false,
        detail: 'a mismatch with the broker is not cleared',
        missing: [`${what}: no clean reconcile pass since`],
      };
}

function alerts(input: GoLiveInput): GoLiveItem {
  if (input.channels.length === 0)
    return {
      id: 'alerts',
      ok: false,
      detail: 'no alert channel configured',
      missing: ['configure alerts.channels (webhook, slack, discord, email)'],
    };
  const missing = input.channels
    .filter((c) => !(input.deliveries[c]?.delivered ?? 0))
    .map(
      (c) =>
        `${c}: no alert delivered yet${input.deliveries[c]?.failed ? ` (${input.deliveries[c]!.failed} failed)` : ''}`,
    );
  return {
    id: 'alerts',
    ok: missing.length === 0,
    detail: `${input.channels.length - missing.length} of ${input.channels.length} channel(s) delivered`,
    missing,
  };
}

function journal(input: GoLiveInput): GoLiveItem {
  return {
    id: 'journal',
    ok: input.journal.ok,
    detail: input.journal.detail,
    missing: input.journal.ok ? [] : [input.journal.detail],
  };
}

/** The checklist as lines to read. */
export function formatGoLive(r: GoLiveResult): string {
  const lines = [`go-live check ${r.account}: stage ${r.stage ?? 'not set'}${r.next ? ` → ${r.next}` : ''}`];
  for (const i of r.items) {
    lines.push(`  ${i.ok ? 'ok     ' : 'MISSING'} ${i.id}: ${i.detail}`);
    for (const m of i.missing) lines.push(`          - ${m}`);
  }
  lines.push(r.ready ? 'ready: every check passed' : 'not ready: see MISSING above');
  return lines.join('\n') + '\n';
}
