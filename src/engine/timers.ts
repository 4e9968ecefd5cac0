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

export class TimerQueue {
  private heap: Timer[] = [];
  private nextSeq = 0;
  private readonly keyed = new Map<string, Timer>();

  get size(): number {
    return this.heap.length;
  }

  /** Arms a timer. A keyed timer replaces a pending timer with the same key. */
  push(timer: Omit<Timer, 'seq'>): void {
    // Object.assign, not a spread: timers come in several shapes, and a megamorphic spread is ~10×
    // slower. Same own properties in the same order, seq last.
    const t = Object.assign({}, timer) as { seq: number } & Omit<Timer, 'seq'>;
    t.seq = this.nextSeq++;
    if (t.key !== undefined) {
      const id = `${t.account ?? ''}|${t.rule ?? ''}|${t.key}`;
      const old = this.keyed.get(id);
      if (old) old.cancelled = true;
      this.keyed.set(id, t);
    }
    this.heap.push(t);
    this.up(this.heap.length - 1);
  }

  /** Cancels the pending keyed timer, if any. */
  cancel(account: string | undefined, rule: string, key: string): void {
    const id = `${account ?? ''}|${rule}|${key}`;
    const old = this.keyed.get(id);
    if (old) {
      old.cancelled = true;
      this.keyed.delete(id);
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
    if (top.key !== undefined) this.keyed.delete(`${top.account ?? ''}|${top.rule ?? ''}|${top.key}`);
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
    if (this.heap.length) {
      this.heap[0] = last;
      this.down(0);
    }
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (compare(h[i]!, h[p]!) >= 0) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && compare(h[l]!, h[m]!) < 0) m = l;
      if (r < h.length && compare(h[r]!, h[m]!) < 0) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

function compare(a: Timer, b: Timer): number {
  return a.deadline !== b.deadline ? a.deadline - b.deadline : a.seq - b.seq;
}
