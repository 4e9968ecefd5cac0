/**
 * Event-time timers (DESIGN §3): before an event is processed, every timer due at or before its
 * `ts` fires, in deadline order, with `ts` = the deadline. A binary min-heap ordered by
 * (deadline, insertion order) so equal deadlines fire in the order they were armed.
 */
export type TimerKind = 'reset' | 'lock_expire' | 'rule' | 'config';

export interface Timer {
  readonly deadline: number;
  readonly kind: TimerKind;
  readonly account?: string;
  readonly rule?: string;
  readonly key?: string;
  readonly data?: unknown;
  /** Insertion sequence, the tie-breaker. */
  readonly seq: number;
  /** Set when replaced or cancelled: skipped when it reaches the top. */
  cancelled?: boolean;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
/** A timer in the heap knows its index there (set by `place`), so re-arming finds it at once. */
type HeapNode = Mutable<Timer> & { at: number };

export class TimerQueue {
  private heap: Timer[] = [];
  private nextSeq = 0;
  /** Pending keyed timers: account → rule → key (maps of the strings themselves: no key text built per push). */
  private readonly keyed = new Map<string, Map<string, Map<string, Timer>>>();

  private keyedOf(
    account: string | undefined,
    rule: string | undefined,
    create: boolean,
  ): Map<string, Timer> | undefined {
    let byRule = this.keyed.get(account ?? '');
    if (byRule === undefined) {
      if (!create) return undefined;
      this.keyed.set(account ?? '', (byRule = new Map()));
    }
    let byKey = byRule.get(rule ?? '');
    if (byKey === undefined) {
      if (!create) return undefined;
      byRule.set(rule ?? '', (byKey = new Map()));
    }
    return byKey;
  }

  get size(): number {
    return this.heap.length;
  }

  /** Arms a timer. A keyed timer replaces a pending timer with the same key. */
  push(timer: Omit<Timer, 'seq'>): void {
    let keyed: Map<string, Timer> | undefined;
    if (timer.key !== undefined) {
      keyed = this.keyedOf(timer.account, timer.rule, true)!;
      const old = keyed.get(timer.key) as HeapNode | undefined;
      if (old !== undefined && !old.cancelled) {
        // Re-armed (RULE-009 on every fill): the pending node takes the new deadline, data and a
        // new seq, so it fires exactly where a fresh timer would, without a tombstone in the heap.
        old.deadline = timer.deadline;
        old.data = timer.data;
        old.seq = this.nextSeq++;
        this.fix(old.at);
        return;
      }
    }
    // Object.assign, not a spread: timers come in several shapes, and a megamorphic spread is ~10×
    // slower. Same own properties in the same order, seq last.
    const t = Object.assign({}, timer) as { seq: number } & Omit<Timer, 'seq'>;
    t.seq = this.nextSeq++;
    if (keyed !== undefined) keyed.set(timer.key!, t);
    this.heap.push(t);
    this.up(this.heap.length - 1);
  }

  /** Restores heap order around index i after its key changed. */
  private fix(i: number): void {
    this.up(i);
    this.down(i);
  }

  /** Cancels the pending keyed timer, if any. */
  cancel(account: string | undefined, rule: string, key: string): void {
    const keyed = this.keyedOf(account, rule, false);
    const old = keyed?.get(key);
    if (old) {
      old.cancelled = true;
      keyed!.delete(key);
    }
  }

  peekDeadline(): number | undefined {
    this.dropTombstones();
    return this.heap[0]?.deadline;
  }

  /** Removes and returns the earliest timer due at or before `t`. */
  popDue(t: number): Timer | undefined {
    this.dropTombstones();
    const top = this.heap[0];
    if (!top || top.deadline > t) return undefined;
    this.removeTop();
    if (top.key !== undefined) this.keyedOf(top.account, top.rule, false)?.delete(top.key);
    return top;
  }

  /** Pending timers (for snapshots), in firing order. */
  pending(): Timer[] {
    return this.heap.filter((t) => !t.cancelled).sort(compare);
  }

  private dropTombstones(): void {
    while (this.heap.length && this.heap[0]!.cancelled) this.removeTop();
  }

  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length) this.place(last, 0);
    if (this.heap.length) this.down(0);
  }

  /** Puts a node at heap index i and records the index on it (re-arming finds it in O(1)). */
  private place(t: Timer, i: number): void {
    this.heap[i] = t;
    (t as HeapNode).at = i;
  }

  private up(i: number): void {
    const h = this.heap;
    const t = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (compare(t, h[p]!) >= 0) break;
      this.place(h[p]!, i);
      i = p;
    }
    this.place(t, i);
  }

  private down(i: number): void {
    const h = this.heap;
    const t = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = l;
      if (l >= h.length) break;
      if (r < h.length && compare(h[r]!, h[l]!) < 0) m = r;
      if (compare(h[m]!, t) >= 0) break;
      this.place(h[m]!, i);
      i = m;
    }
    this.place(t, i);
  }
}

function compare(a: Timer, b: Timer): number {
  return a.deadline !== b.deadline ? a.deadline - b.deadline : a.seq - b.seq;
}
