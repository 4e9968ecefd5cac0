/**
 * Rate-limit lanes: one token bucket per venue limit (e.g. ProjectX: 50 / 30 s for bar history,
 * 200 / 60 s for everything else). A spent token comes back `windowMs` after it was taken, so the
 * bucket never lets more than `capacity` requests into any window of that length (a plain
 * refill-rate bucket would allow twice that right after a quiet spell, and earn a 429).
 *
 * `reserved` tokens of each bucket are for `critical` requests only (cancels, flattens): normal
 * requests (new orders, reads) wait while the bucket is down to its reserve, and waiting critical
 * requests are always served before waiting normal ones, so new orders can never starve a cancel.
 */
export type Priority = 'critical' | 'normal';

export interface LaneLimit {
  readonly capacity: number;
  readonly windowMs: number;
  /** Tokens only critical requests may take (default 0). */
  readonly reserved?: number;
}

interface Waiter {
  readonly priority: Priority;
  readonly resolve: () => void;
}

export class RateLane {
  private readonly spent: number[] = [];
  private readonly waiters: Waiter[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly reserved: number;

  constructor(
    readonly limit: LaneLimit,
    private readonly now: () => number = Date.now,
  ) {
    this.reserved = Math.min(limit.reserved ?? 0, limit.capacity - 1);
  }

  /** Tokens left right now (before the reserve is taken into account). */
  available(): number {
    this.expire();
    return this.limit.capacity - this.spent.length;
  }

  /** Takes a token now if the priority allows, without waiting. */
  tryTake(priority: Priority): boolean {
    const floor = priority === 'critical' ? 0 : this.reserved;
    if (this.available() <= floor) return false;
    this.spent.push(this.now());
    return true;
  }

  /** Waits for a token; critical waiters go ahead of normal ones. */
  acquire(priority: Priority): Promise<void> {
    const mayJump =
      this.waiters.length === 0 || (priority === 'critical' && !this.waiters.some((w) => w.priority === 'critical'));
    if (mayJump && this.tryTake(priority)) return Promise.resolve();
    return new Promise((resolve) => {
      const w = { priority, resolve };
      const firstNormal = this.waiters.findIndex((x) => x.priority === 'normal');
      if (priority === 'critical' && firstNormal >= 0) this.waiters.splice(firstNormal, 0, w);
      else this.waiters.push(w);
      this.pump();
    });
  }

  /** Waiting requests, for tests and metrics. */
  get queued(): number {
    return this.waiters.length;
  }

  private expire(): void {
    const cutoff = this.now() - this.limit.windowMs;
    while (this.spent.length > 0 && (this.spent[0] ?? 0) <= cutoff) this.spent.shift();
  }

  private pump(): void {
    while (this.waiters.length > 0) {
      const head = this.waiters[0] as Waiter;
      if (!this.tryTake(head.priority)) {
        // A normal head blocked by the reserve must not block a critical request behind it.
        const crit = this.waiters.findIndex((w) => w.priority === 'critical');
        if (crit > 0 && this.tryTake('critical')) {
          this.waiters.splice(crit, 1)[0]?.resolve();
          continue;
        }
        break;
      }
      this.waiters.shift();
      head.resolve();
    }
    if (this.waiters.length > 0 && this.timer === undefined) {
      const oldest = this.spent[0] ?? this.now();
      const wait = Math.max(1, oldest + this.limit.windowMs - this.now() + 1);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.pump();
      }, wait);
    }
  }

  /** Stops the wake-up timer (waiters stay queued). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Named lanes plus a rule picking the lane of a request path. */
export class RateLanes {
  private readonly lanes = new Map<string, RateLane>();

  constructor(
    limits: Readonly<Record<string, LaneLimit>>,
    private readonly laneOf: (path: string) => string,
    now: () => number = Date.now,
  ) {
    for (const [name, limit] of Object.entries(limits)) this.lanes.set(name, new RateLane(limit, now));
  }

  lane(path: string): RateLane {
    const name = this.laneOf(path);
    const lane = this.lanes.get(name);
    if (!lane) throw new Error(`no rate lane named ${name}`);
    return lane;
  }

  close(): void {
    for (const l of this.lanes.values()) l.close();
  }
}
