/**
 * The ProjectX adapter's real-time side: the user hub (fills, orders, positions, account state
 * into the UserStream, a REST resync after every reconnect), the market hub (quotes and trade
 * prints into the event feed, through the mark watch), and what is wrong with them right now
 * (`health`: stale marks; user hub down; venue clock skew).
 */
import type { FeedHealth } from '../broker.ts';
import type { ProjectXClient } from './client.ts';
import type { EventFeed } from './events.ts';
import { MarketHub, type DepthLevel } from './market-hub.ts';
import { MarkWatch } from './marks.ts';
import type { UserStream } from './sync.ts';
import { UserHub } from './user-hub.ts';

export interface LiveFeedOptions {
  readonly userHubUrl?: string;
  readonly marketHubUrl?: string;
  readonly reconnectDelaysMs?: readonly number[];
  readonly markStaleAfterMs?: number;
  readonly onDepth?: (d: DepthLevel) => void;
  readonly onWarning?: (message: string) => void;
  readonly now?: () => number;
}

export class LiveFeeds {
  private readonly marks: MarkWatch;
  private market: MarketHub | undefined;
  private user: UserHub | undefined;
  private userDown: string | undefined;
  private readonly warnings: string[] = [];

  constructor(
    private readonly o: LiveFeedOptions,
    private readonly client: ProjectXClient,
    private readonly stream: UserStream,
    private readonly events: EventFeed,
    private readonly symbolOf: (contractId: string) => string | undefined,
  ) {
    this.marks = new MarkWatch({ staleAfterMs: o.markStaleAfterMs ?? 30_000, now: o.now ?? Date.now });
  }

  /** Whether the user hub is in use (its position reports are a second opinion). */
  get userHubOn(): boolean {
    return this.user !== undefined;
  }

  /** Whether the user hub is connected and subscribed now. */
  get userHubUp(): boolean {
    return this.user?.connected ?? false;
  }

  warn(message: string): void {
    this.warnings.push(message);
    if (this.warnings.length > 20) this.warnings.shift();
    this.o.onWarning?.(message);
  }

  private tokens() {
    return {
      token: () => this.client.sessionToken(),
      freshToken: () => this.client.freshToken(),
      ...(this.o.reconnectDelaysMs ? { reconnectDelaysMs: this.o.reconnectDelaysMs } : {}),
    };
  }

  async start(accountIds: readonly number[]): Promise<void> {
    if (this.o.userHubUrl) {
      const s = this.stream;
      this.user = new UserHub(
        { url: this.o.userHubUrl, accountIds, ...this.tokens() },
        {
          onAccount: (a) => s.account(a),
          onOrder: (v) => s.order(v),
          onPosition: (p) => s.position(p),
          onTrade: (t) => s.trade(t),
          onDown: (why) => {
            this.userDown ??= why;
          },
          onResubscribed: () => {
            this.userDown = undefined;
            void s.resync();
          },
        },
      );
      await this.user.start();
      // Whatever happened between the connect-time reads and the subscriptions is read once more.
      if (this.user.connected) await this.stream.resync();
    }
    if (this.o.marketHubUrl) {
      this.market = new MarketHub({
        url: this.o.marketHubUrl,
        ...this.tokens(),
        symbolOf: this.symbolOf,
        onQuote: (q) => this.events.quote(q),
        ...(this.o.onDepth ? { onDepth: this.o.onDepth } : {}),
        marks: this.marks,
        now: this.o.now ?? Date.now,
      });
      await this.market.start();
    }
  }

  /** Streams a contract's market data from now on (no-op without a market hub). */
  async subscribe(contractId: string): Promise<void> {
    await this.market?.subscribe(contractId);
  }

  async stop(): Promise<void> {
    this.stream.stop();
    await this.user?.stop();
    this.user = undefined;
    await this.market?.stop();
    this.market = undefined;
  }

  health(): FeedHealth {
    const warnings = [...this.warnings.slice(-5)];
    if (this.userDown !== undefined) warnings.push(`user hub down (${this.userDown}): fills read over REST`);
    if (this.client.clockSkewed && this.client.clockSkewMs !== undefined)
      warnings.push(`venue clock off by ${this.client.clockSkewMs} ms`);
    return { marksStale: this.o.marketHubUrl ? this.marks.reasons() : [], warnings: [...new Set(warnings)] };
  }
}
