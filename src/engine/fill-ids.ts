/**
 * The fill ids an account booked lately (DESIGN §4: a fill whose fillId was already seen for the
 * same account is a duplicate, e.g. resent by a venue after a reconnect, and is never booked
 * twice). Bounded for long runs: the ids of the current and the previous trading day are kept,
 * rotated at each reset. One Set lookup per fill: `seen` holds both days, `today` lists the
 * current day's ids (the tail of `seen`), which become the whole of `seen` at the next reset.
 */
export class FillIds {
  private seen = new Set<string>();
  private today: string[] = [];

  /** Books a fill id: false when it was booked already (a duplicate). */
  book(fillId: string): boolean {
    const seen = this.seen;
    const before = seen.size;
    seen.add(fillId); // one lookup: the set grows only for a new id
    if (seen.size === before) return false;
    this.today.push(fillId);
    return true;
  }

  /** A trading-day reset: the day that ends becomes the previous one, the one before is forgotten. */
  rotate(): void {
    if (this.seen.size === this.today.length) {
      this.today = [];
      return; // nothing older than the day that ends
    }
    this.seen = new Set(this.today);
    this.today = [];
  }

  /** Whether a fill id was booked (this trading day or the previous one). */
  has(fillId: string): boolean {
    return this.seen.has(fillId);
  }

  /** Ids remembered (both days). */
  get size(): number {
    return this.seen.size;
  }

  /** Plain JSON for snapshots: the previous day's ids, then the current day's. */
  toJSON(): { previous: string[]; today: string[] } {
    const previous: string[] = [];
    const n = this.seen.size - this.today.length;
    for (const id of this.seen) {
      if (previous.length === n) break;
      previous.push(id);
    }
    return { previous, today: [...this.today] };
  }

  /** Replaces the content with a snapshot's (a snapshot without it: nothing remembered). */
  load(json: { previous: string[]; today: string[] } | undefined): void {
    this.seen = new Set(json?.previous);
    this.today = [];
    for (const id of json?.today ?? []) this.book(id);
  }
}
