/**
 * An account's risk status (CLI `trader status`, `admin status`; later the API): trading state,
 * day P&L, loss room, rule distances, locks with their end, open positions.
 */
import { formatFixed, parseFixed, ZERO } from '../domain/money.ts';
import { avgPrice } from '../domain/position.ts';
import { isoOf } from '../domain/events.ts';
import type { Distance } from '../risk/rule.ts';
import { untilLabel } from './decision.ts';
import type { RiskEngine } from './risk-engine.ts';
import { qtyJson } from './report.ts';

export interface AccountStatus {
  account: string;
  asOf: string | null;
  tradingDay: string | null;
  state: 'ACTIVE' | 'REDUCING' | 'HALTED';
  canTrade: boolean;
  day: { grossRealizedPnl: string; fees: string; netRealizedPnl: string; fills: number };
  lossRoom: string | null;
  locks: { rule: string; kind: string; until: string; since: string; reason: string }[];
  distances: Distance[];
  positions: { symbol: string; qty: number | string; avgPrice: string; unrealizedPnl: string }[];
}

export function accountStatus(engine: RiskEngine, account: string): AccountStatus | undefined {
  const rec = engine.accounts.get(account);
  if (!rec) return undefined;
  const st = rec.state;
  const now = Number.isFinite(engine.clock.lastT) ? engine.clock.lastT : 0;
  const distances = engine.distances(rec, now);
  const lossRules = new Set(rec.rules.filter(({ rule }) => rule.limitsLoss).map(({ rule }) => rule.id as string));
  const loss = distances.filter((d) => lossRules.has(d.rule)).map((d) => d.remaining);
  const lossRoom = loss.length ? loss.reduce((a, b) => (parseFixed(a) <= parseFixed(b) ? a : b)) : null;
  const locks = [...st.locks.values()]
    .filter((l) => typeof l.until !== 'number' || l.until > now)
    .map((l) => ({ rule: l.rule, kind: l.kind, until: untilLabel(l.until), since: isoOf(l.since), reason: l.reason }));
  return {
    account,
    asOf: now ? isoOf(now) : null,
    tradingDay: engine.dayLabel ?? null,
    state: locks.length ? 'REDUCING' : 'ACTIVE',
    canTrade: st.canTrade,
    day: {
      grossRealizedPnl: formatFixed(st.day.grossRealized),
      fees: formatFixed(st.day.fees),
      netRealizedPnl: formatFixed(st.day.grossRealized - st.day.fees),
      fills: st.day.fills,
    },
    lossRoom,
    locks,
    distances,
    positions: [...st.positions.values()]
      .filter((p) => p.qty !== ZERO)
      .map((p) => ({
        symbol: p.symbol,
        qty: qtyJson(p.qty),
        avgPrice: avgPrice(p),
        unrealizedPnl: formatFixed(engine.unrealizedOf(p)),
      })),
  };
}

/** A readable table for the terminal. */
export function formatAccountStatus(s: AccountStatus): string {
  const lines = [
    `account      ${s.account}   state ${s.state}${s.canTrade ? '' : '   canTrade=false'}`,
    `as of        ${s.asOf ?? '-'}   trading day ${s.tradingDay ?? '-'}`,
    `day P&L      gross ${s.day.grossRealizedPnl}   fees ${s.day.fees}   net ${s.day.netRealizedPnl}   fills ${s.day.fills}`,
    `loss room    ${s.lossRoom ?? 'no loss limit configured'}`,
  ];
  if (s.locks.length) {
    lines.push('locks');
    for (const l of s.locks)
      lines.push(`  ${l.rule.padEnd(9)} ${l.kind.padEnd(8)} until ${l.until.padEnd(24)} ${l.reason}`);
  } else lines.push('locks        none');
  if (s.distances.length) {
    lines.push('rules        rule      symbol    value          limit          room           used');
    for (const d of s.distances) {
      lines.push(
        `             ${d.rule.padEnd(9)} ${(d.symbol ?? '').padEnd(9)} ${d.value.padEnd(14)} ${d.limit.padEnd(14)} ${d.remaining.padEnd(14)} ${d.usedPct.toFixed(1)}%`,
      );
    }
  }
  if (s.positions.length) {
    lines.push('positions    symbol    qty      avgPrice         unrealized');
    for (const p of s.positions)
      lines.push(
        `             ${p.symbol.padEnd(9)} ${String(p.qty).padEnd(8)} ${p.avgPrice.padEnd(16)} ${p.unrealizedPnl}`,
      );
  } else lines.push('positions    flat');
  return lines.join('\n') + '\n';
}
