/**
 * Per-account, per-trading-day record of figures, first breaches and rejections: the content of
 * the replay report (DESIGN §5).
 */
import { formatFixed, parseFixed, ZERO, type Fixed } from '../domain/money.ts';

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

export class DayBook {
  private readonly days = new Map<string, DayEntry>();

  entry(label: string): DayEntry {
    let d = this.days.get(label);
    if (!d) {
      d = { grossRealized: ZERO, fees: ZERO, fills: 0, breaches: [], breachKeys: new Set(), rejections: [] };
      this.days.set(label, d);
    }
    return d;
  }

  addBreach(label: string, b: BreachEntry): boolean {
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
    return this.days.get(label);
  }

  /** Plain JSON (decimal strings) for snapshots. */
  toJSON(): Record<string, { grossRealized: string; fees: string; fills: number; breaches: BreachEntry[]; rejections: RejectionEntry[] }> {
    const out: ReturnType<DayBook['toJSON']> = {};
    for (const [label, d] of this.days) {
      out[label] = { grossRealized: formatFixed(d.grossRealized), fees: formatFixed(d.fees), fills: d.fills, breaches: d.breaches, rejections: d.rejections };
    }
    return out;
  }

  /** Replaces the content with a snapshot's. */
  load(json: ReturnType<DayBook['toJSON']>): void {
    this.days.clear();
    for (const [label, d] of Object.entries(json)) {
      this.days.set(label, {
        grossRealized: parseFixed(d.grossRealized),
        fees: parseFixed(d.fees),
        fills: d.fills,
        // Rebuilt field by field: a snapshot store may have re-ordered keys (canonical JSON), and
        // the report must come out byte-identical.
        breaches: d.breaches.map((b) => ({ rule: b.rule, ts: b.ts, action: b.action, ...(b.symbol !== undefined ? { symbol: b.symbol } : {}), ...(b.until !== undefined ? { until: b.until } : {}) })),
        breachKeys: new Set(d.breaches.map((b) => `${b.rule}|${b.symbol ?? ''}`)),
        rejections: d.rejections.map((r) => ({ rule: r.rule, ts: r.ts, orderId: r.orderId })),
      });
    }
  }
}
