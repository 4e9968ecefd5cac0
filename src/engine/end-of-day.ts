/**
 * The end-of-day summary (issue: daily reset): at each reset, every account that traded or had a
 * breach that day gets a summary decision, journaled with the rest, so the journal alone tells
 * how each day ended.
 */
import { formatFixed, ZERO } from '../domain/money.ts';
import { isoOf } from '../domain/events.ts';
import type { Decision } from './decision.ts';
import type { AccountRecord } from './engine-core.ts';

export function endOfDaySummary(rec: AccountRecord, at: number): Decision | undefined {
  const st = rec.state;
  const entry = rec.book.get(st.day.label);
  if (!entry || (entry.fills === 0 && entry.breaches.length === 0 && entry.rejections.length === 0)) return undefined;
  const open = [...st.positions.values()].filter((p) => p.qty !== ZERO).map((p) => `${p.symbol} ${formatFixed(p.qty)}`);
  const reason =
    `end of day ${st.day.label}: net ${formatFixed(entry.grossRealized - entry.fees)} (gross ${formatFixed(entry.grossRealized)}, fees ${formatFixed(entry.fees)}), ` +
    `${entry.fills} fill(s), ${entry.breaches.length} breach(es), ${entry.rejections.length} rejection(s), open: ${open.join(', ') || 'flat'}`;
  return {
    t: at,
    ts: isoOf(at),
    account: st.id,
    kind: 'summary',
    rule: 'EOD',
    action: 'summary',
    reason,
    outcomes: [],
  };
}
