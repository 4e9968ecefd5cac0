/**
 * Per-account, per-trading-day record of figures, first breaches and rejections: the content of
 * the replay report (DESIGN §5).
 */
import { formatFixed, parseFixed, ZERO, type Fixed } from '../domain/money.ts';
import type { BreachScope } from '../risk/rule.ts';

export interface BreachEntry {
  rule: string;
  ts: string;
  action: string;
  symbol?: string;
  until?: string;
}

export interface RejectionEntry {
  rule: string;
  ts: string;
  orderId: string;
}

export interface DayEntry {
  grossRealized: Fixed;
  fees: Fixed;
  fills: number;
  breaches: BreachEntry[];
  /** Keys `rule|symbol` of breaches already listed (first per day). */
  breachKeys: Set<string>;
  rejections: RejectionEntry[];
}

function withoutSymbol(b: BreachEntry): BreachEntry {
  const { symbol: _symbol, ...rest } = b;
  return rest;
}

export class DayBook {
  private readonly days = new Map<string, DayEntry>();
  /** The last day asked for: fills, rejections and the reset all ask for the current day. */
  private lastLabel: string | undefined;
  private lastEntry: DayEntry | undefined;

  entry(label: string): DayEntry {
    if (label === this.lastLabel && this.lastEntry) return this.lastEntry;
    let d = this.days.get(label);
    if (!d) {
      d = { grossRealized: ZERO, fees: ZERO, fills: 0, breaches: [], breachKeys: new Set(), rejections: [] };
      this.days.set(label, d);
    }
    this.lastLabel = label;
    this.lastEntry = d;
    return d;
  }

  /**
   * Records the day's first breach of a rule — per symbol for a rule of `position` scope (DESIGN
   * §5), whose entries alone carry `symbol`; an account-wide rule (e.g. a RULE-001 trim of the
   * traded symbol) is listed once per day without one.
   */
  addBreach(label: string, breach: BreachEntry, scope: BreachScope): boolean {
    const b = breach.symbol !== undefined && scope !== 'position' ? withoutSymbol(breach) : breach;
    const d = this.entry(label);
    const key = `${b.rule}|${b.symbol ?? ''}`;
    if (d.breachKeys.has(key)) return false;
    d.breachKeys.add(key);
    d.breaches.push(b);
    return true;
  }

  labels(): string[] {
    return [...this.days.keys()].sort();
  }

  get(label: string): DayEntry | undefined {
    if (label === this.lastLabel && this.lastEntry) return this.lastEntry;
    return this.days.get(label);
  }

  /** Plain JSON (decimal strings) for snapshots. */
  toJSON(): Record<
    string,
    { grossRealized: string; fees: string; fills: number; breaches: BreachEntry[]; rejections: RejectionEntry[] }
  > {
    const out: ReturnType<DayBook['toJSON']> = {};
    for (const [label, d] of this.days) {
      out[label] = {
        grossRealized: formatFixed(d.grossRealized),
        fees: formatFixed(d.fees),
        fills: d.fills,
        breaches: d.breaches,
        rejections: d.rejections,
      };
    }
    return out;
  }

  /** Replaces the content with a snapshot's. */
  load(json: ReturnType<DayBook['toJSON']>): void {
    this.days.clear();
    this.lastLabel = undefined;
    this.lastEntry = undefined;
    for (const [label, d] of Object.entries(json)) {
      this.days.set(label, {
        grossRealized: parseFixed(d.grossRealized),
        fees: parseFixed(d.fees),
        fills: d.fills,
        // Rebuilt field by field: a snapshot store may have re-ordered keys (canonical JSON), and
        // the report must come out byte-identical.
        breaches: d.breaches.map((b) => ({
          rule: b.rule,
          ts: b.ts,
          action: b.action,
          ...(b.symbol !== undefined ? { symbol: b.symbol } : {}),
          ...(b.until !== undefined ? { until: b.until } : {}),
        })),
        breachKeys: new Set(d.breaches.map((b) => `${b.rule}|${b.symbol ?? ''}`)),
        rejections: d.rejections.map((r) => ({ rule: r.rule, ts: r.ts, orderId: r.orderId })),
      });
    }
  }
}
