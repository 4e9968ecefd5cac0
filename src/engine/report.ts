/**
 * The replay report (DESIGN §5): per account, per trading day figures and first breaches, final
 * positions with avgPrice and unrealizedPnl, the event count and the journal head hash.
 */
import { formatFixed, isWhole, toSafeInteger, ZERO, type Fixed } from '../domain/money.ts';
import { avgPrice } from '../domain/position.ts';
import type { RiskEngine } from './risk-engine.ts';
import type { BreachEntry, RejectionEntry } from './day-book.ts';

export interface DayReport {
  grossRealizedPnl: string;
  fees: string;
  netRealizedPnl: string;
  fills: number;
  breaches: BreachEntry[];
  rejections: RejectionEntry[];
}

export interface PositionReport {
  qty: number | string;
  avgPrice: string;
  unrealizedPnl: string;
}

export interface ReplayReport {
  accounts: Record<string, { days: Record<string, DayReport>; positions: Record<string, PositionReport> }>;
  events: number;
  hash: string;
}

/** Signed quantity: a JSON integer when whole, else a decimal string (crypto). */
export function qtyJson(q: Fixed): number | string {
  return isWhole(q) ? toSafeInteger(q) : formatFixed(q);
}

export function buildReport(engine: RiskEngine, events: number, hash: string): ReplayReport {
  const accounts: ReplayReport['accounts'] = {};
  for (const id of [...engine.accounts.keys()].sort()) {
    const rec = engine.accounts.get(id)!;
    const days: Record<string, DayReport> = {};
    for (const label of rec.book.labels()) {
      const d = rec.book.get(label)!;
      if (d.fills === 0 && d.breaches.length === 0 && d.rejections.length === 0) continue;
      days[label] = {
        grossRealizedPnl: formatFixed(d.grossRealized),
        fees: formatFixed(d.fees),
        netRealizedPnl: formatFixed(d.grossRealized - d.fees),
        fills: d.fills,
        breaches: d.breaches.map((b) => ({ ...b })),
        rejections: d.rejections.map((r) => ({ ...r })),
      };
    }
    const positions: Record<string, PositionReport> = {};
    for (const symbol of [...rec.state.positions.keys()].sort()) {
      const p = rec.state.positions.get(symbol)!;
      if (p.qty === ZERO) continue;
      positions[symbol] = {
        qty: qtyJson(p.qty),
        avgPrice: avgPrice(p),
        unrealizedPnl: formatFixed(engine.unrealizedOf(p)),
      };
    }
    accounts[id] = { days, positions };
  }
  return { accounts, events, hash };
}

/** Human-readable form of the report. */
export function formatReportText(r: ReplayReport): string {
  const lines: string[] = [];
  for (const [id, a] of Object.entries(r.accounts)) {
    lines.push(`Account ${id}`);
    const dayRows = Object.entries(a.days);
    if (dayRows.length) {
      lines.push(
        `  ${'day'.padEnd(10)}  ${'gross'.padStart(14)}  ${'fees'.padStart(10)}  ${'net'.padStart(14)}  ${'fills'.padStart(5)}`,
      );
      for (const [label, d] of dayRows) {
        lines.push(
          `  ${label}  ${d.grossRealizedPnl.padStart(14)}  ${d.fees.padStart(10)}  ${d.netRealizedPnl.padStart(14)}  ${String(d.fills).padStart(5)}`,
        );
        for (const b of d.breaches)
          lines.push(
            `      breach ${b.rule} ${b.action}${b.symbol ? ` ${b.symbol}` : ''} at ${b.ts}${b.until ? ` until ${b.until}` : ''}`,
          );
        for (const j of d.rejections) lines.push(`      reject ${j.rule} order ${j.orderId} at ${j.ts}`);
      }
    } else lines.push('  no activity');
    const pos = Object.entries(a.positions);
    if (pos.length) {
      lines.push(
        `  ${'position'.padEnd(12)}  ${'qty'.padStart(8)}  ${'avgPrice'.padStart(16)}  ${'unrealized'.padStart(14)}`,
      );
      for (const [s, p] of pos)
        lines.push(
          `  ${s.padEnd(12)}  ${String(p.qty).padStart(8)}  ${p.avgPrice.padStart(16)}  ${p.unrealizedPnl.padStart(14)}`,
        );
    } else lines.push('  flat');
  }
  lines.push(`events: ${r.events}`, `hash: ${r.hash}`);
  return lines.join('\n') + '\n';
}
