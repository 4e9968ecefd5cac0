/**
 * `riskgate replay … --compare old.yaml` (DESIGN §5): two replay reports of the same events, one
 * per config, reduced to what differs per account and trading day — breaches (lockouts are the
 * breaches with `until`), rejections and net realized P&L.
 */
import { formatFixed, parseFixed } from '../domain/money.ts';
import type { BreachEntry, RejectionEntry } from './day-book.ts';
import type { DayReport, ReplayReport } from './report.ts';

export interface Changes<T> {
  added: T[];
  removed: T[];
}

export interface DayComparison {
  netRealizedPnl: { old: string; new: string };
  breaches: Changes<BreachEntry>;
  /** The breaches of `breaches` that lock or cool the account down (they carry `until`). */
  lockouts: Changes<BreachEntry>;
  rejections: Changes<RejectionEntry>;
}

export interface ReplayComparison {
  mode: string;
  accounts: Record<string, { days: Record<string, DayComparison> }>;
  events: number;
}

/** Identity of a breach or rejection: every field, in a fixed order. */
function breachKey(b: BreachEntry): string {
  return [b.rule, b.symbol ?? '', b.action, b.ts, b.until ?? ''].join('|');
}

function rejectionKey(r: RejectionEntry): string {
  return [r.rule, r.orderId, r.ts].join('|');
}

/** Entries of `next` missing from `prev` and of `prev` missing from `next` (counted as multisets). */
export function diffEntries<T>(prev: readonly T[], next: readonly T[], key: (e: T) => string): Changes<T> {
  const left = (from: readonly T[], against: readonly T[]): T[] => {
    const counts = new Map<string, number>();
    for (const e of against) counts.set(key(e), (counts.get(key(e)) ?? 0) + 1);
    return from.filter((e) => {
      const n = counts.get(key(e)) ?? 0;
      if (n > 0) counts.set(key(e), n - 1);
      return n === 0;
    });
  };
  return { added: left(next, prev), removed: left(prev, next) };
}

const noDay: DayReport = {
  grossRealizedPnl: '0',
  fees: '0',
  netRealizedPnl: '0',
  fills: 0,
  breaches: [],
  rejections: [],
};

function compareDay(prev: DayReport, next: DayReport): DayComparison | undefined {
  const breaches = diffEntries(prev.breaches, next.breaches, breachKey);
  const rejections = diffEntries(prev.rejections ?? [], next.rejections ?? [], rejectionKey);
  const pnlDiffers = parseFixed(prev.netRealizedPnl) !== parseFixed(next.netRealizedPnl);
  const count = (c: Changes<unknown>) => c.added.length + c.removed.length;
  if (!pnlDiffers && count(breaches) + count(rejections) === 0) return undefined;
  const locks = (list: BreachEntry[]) => list.filter((b) => b.until !== undefined);
  return {
    netRealizedPnl: { old: prev.netRealizedPnl, new: next.netRealizedPnl },
    breaches,
    lockouts: { added: locks(breaches.added), removed: locks(breaches.removed) },
    rejections,
  };
}

/** What differs between the report under the old config and the one under the new (only days that differ). */
export function compareReports(prev: ReplayReport, next: ReplayReport, mode: string): ReplayComparison {
  const accounts: ReplayComparison['accounts'] = {};
  const ids = [...new Set([...Object.keys(prev.accounts), ...Object.keys(next.accounts)])].sort();
  for (const id of ids) {
    const prevDays = prev.accounts[id]?.days ?? {};
    const nextDays = next.accounts[id]?.days ?? {};
    const days: Record<string, DayComparison> = {};
    for (const label of [...new Set([...Object.keys(prevDays), ...Object.keys(nextDays)])].sort()) {
      const day = compareDay(prevDays[label] ?? noDay, nextDays[label] ?? noDay);
      if (day) days[label] = day;
    }
    if (Object.keys(days).length) accounts[id] = { days };
  }
  return { mode, accounts, events: next.events };
}

/** New minus old net realized P&L, signed (`+20.5`, `-3`, `0`). */
export function pnlChange(pnl: { old: string; new: string }): string {
  const d = parseFixed(pnl.new) - parseFixed(pnl.old);
  return d > 0n ? `+${formatFixed(d)}` : formatFixed(d);
}

export function breachLine(b: BreachEntry): string {
  const lock = b.until !== undefined ? ` until ${b.until} (lockout)` : '';
  return `breach ${b.rule} ${b.action}${b.symbol ? ` ${b.symbol}` : ''} at ${b.ts}${lock}`;
}

export function rejectionLine(r: RejectionEntry): string {
  return `reject ${r.rule} order ${r.orderId} at ${r.ts}`;
}

/** Human-readable form: `+` under new and not old, `-` under old and not new. */
export function formatComparisonText(c: ReplayComparison): string {
  const lines = [`replay compare (${c.mode}): + only under --config, - only under --compare`];
  const ids = Object.keys(c.accounts);
  if (!ids.length) lines.push('no differences');
  for (const id of ids) {
    lines.push(`Account ${id}`);
    for (const [label, d] of Object.entries(c.accounts[id]!.days)) {
      const pnl = d.netRealizedPnl;
      const same = pnl.old === pnl.new;
      lines.push(`  ${label}  net ${same ? `${pnl.new} (same)` : `${pnl.old} → ${pnl.new} (${pnlChange(pnl)})`}`);
      for (const b of d.breaches.added) lines.push(`    + ${breachLine(b)}`);
      for (const b of d.breaches.removed) lines.push(`    - ${breachLine(b)}`);
      for (const r of d.rejections.added) lines.push(`    + ${rejectionLine(r)}`);
      for (const r of d.rejections.removed) lines.push(`    - ${rejectionLine(r)}`);
    }
  }
  lines.push(`events: ${c.events}`);
  return lines.join('\n') + '\n';
}
