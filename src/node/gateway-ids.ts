/**
 * Ids a long-running gateway remembers for a while — fills already booked (a venue may replay
 * them after a reconnect), orders the engine knows or saw end, broker ↔ engine order ids — without
 * growing for as long as the process lives. Two generations, rotated at each trading-day reset:
 * an entry set since the previous rotation survives the next one, so it is kept for at least one
 * whole trading day; `rotate(keep)` carries older entries that still matter (working orders) over.
 */
export class RecentMap<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  get(key: K): V | undefined {
    return this.current.has(key) ? this.current.get(key) : this.previous.get(key);
  }

  has(key: K): boolean {
    return this.current.has(key) || this.previous.has(key);
  }

  set(key: K, value: V): this {
    this.current.set(key, value);
    this.previous.delete(key);
    return this;
  }

  /** Entries in both generations. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /**
   * Starts a new generation. Entries of the older one not set again since are dropped, unless
   * `keep` says they are still needed (then they move to the new generation).
   */
  rotate(keep?: (key: K, value: V) => boolean): void {
    const dropped = this.previous;
    this.previous = this.current;
    this.current = new Map();
    if (keep) for (const [k, v] of dropped) if (keep(k, v)) this.current.set(k, v);
  }
}

export class RecentSet<K> {
  private readonly map = new RecentMap<K, true>();

  has(key: K): boolean {
    return this.map.has(key);
  }

  add(key: K): this {
    this.map.set(key, true);
    return this;
  }

  get size(): number {
    return this.map.size;
  }

  rotate(keep?: (key: K) => boolean): void {
    this.map.rotate(keep ? (k) => keep(k) : undefined);
  }
}

/** The ids the live gateway keeps about orders and fills (gateway.ts), aged out together. */
export class GatewayIds {
  /** Broker order id → engine order id (the client order id). */
  readonly engineIds = new RecentMap<string, string>();
  /** Engine order id → broker order id (RULE-012 stop moves). */
  readonly brokerIds = new RecentMap<string, string>();
  /** Engine order ids the engine has seen an `order` event for, and those it saw end. */
  readonly known = new RecentSet<string>();
  readonly ended = new RecentSet<string>();
  /** `account|fillId` of fills already booked. */
  readonly seenFills = new RecentSet<string>();

  /** A new trading day: ids not touched for a whole day are forgotten, those of `working` orders kept. */
  rotate(working: ReadonlySet<string>): void {
    this.known.rotate((id) => working.has(id));
    this.ended.rotate();
    this.seenFills.rotate();
    this.engineIds.rotate((_brokerId, engineId) => working.has(engineId));
    this.brokerIds.rotate((engineId) => working.has(engineId));
  }

  get size(): number {
    return this.known.size + this.ended.size + this.seenFills.size + this.engineIds.size + this.brokerIds.size;
  }
}
