/**
 * The ProjectX user hub (docs/projectx.md): `SubscribeAccounts()`, and per venue account
 * `SubscribeOrders(id)`, `SubscribePositions(id)`, `SubscribeTrades(id)`, answered by
 * `GatewayUserAccount`, `GatewayUserOrder`, `GatewayUserPosition` and `GatewayUserTrade`, each
 * with one record shaped like its REST counterpart (Account/search, Order/search,
 * Position/searchOpen, Trade/search). Some clients see the record wrapped as `{ action, data }`;
 * both forms are read. A record that does not match its schema is dropped (and counted), never
 * guessed at: the REST resync after a reconnect is the safety net for anything missed.
 */
import type { HubConnection } from '@microsoft/signalr';
import type { z } from 'zod';
import { closeHub, openHub, type HubConnectionOptions } from './hub-connection.ts';
import * as S from './schemas.ts';

export interface UserHubHandlers {
  readonly onAccount: (a: S.VenueAccount) => void;
  readonly onOrder: (o: S.VenueOrder) => void;
  /** A position record; `size` 0 means the position is closed. */
  readonly onPosition: (p: S.VenuePosition) => void;
  readonly onTrade: (t: S.VenueTrade) => void;
  /** The hub is lost (events may be missed from now on). */
  readonly onDown: (why: string) => void;
  /** The hub is back and subscribed again: time to resync over REST. */
  readonly onResubscribed: () => void;
}

export interface UserHubOptions extends Omit<HubConnectionOptions, 'onDown' | 'onUp'> {
  readonly accountIds: readonly number[];
}

/** The record of a user-hub event: the payload itself, or its `data` when wrapped. */
export function recordOf<T extends z.ZodType>(schema: T, payload: unknown): z.infer<T> | undefined {
  const direct = schema.safeParse(payload);
  if (direct.success) return direct.data;
  if (payload !== null && typeof payload === 'object' && 'data' in payload) {
    const inner = schema.safeParse((payload as { data: unknown }).data);
    if (inner.success) return inner.data;
  }
  return undefined;
}

export class UserHub {
  private conn: HubConnection | undefined;
  /** Events dropped as unreadable (for diagnostics). */
  unreadable = 0;
  connected = false;

  constructor(
    private readonly o: UserHubOptions,
    private readonly h: UserHubHandlers,
  ) {}

  async start(): Promise<void> {
    const { conn, connected } = await openHub(
      {
        ...this.o,
        onDown: (why) => {
          this.connected = false;
          this.h.onDown(why);
        },
        onUp: () => void this.resubscribe(),
      },
      (conn) => {
        this.on(conn, 'GatewayUserAccount', S.account, this.h.onAccount);
        this.on(conn, 'GatewayUserOrder', S.order, this.h.onOrder);
        this.on(conn, 'GatewayUserPosition', S.position, this.h.onPosition);
        this.on(conn, 'GatewayUserTrade', S.trade, this.h.onTrade);
      },
    );
    this.conn = conn;
    if (!connected) return; // retried in the background; onUp subscribes and resyncs
    await this.subscribeAll();
    this.connected = true;
  }

  private on<T extends z.ZodType>(conn: HubConnection, target: string, schema: T, fn: (v: z.infer<T>) => void) {
    conn.on(target, (payload: unknown) => {
      const v = recordOf(schema, payload);
      if (v === undefined) this.unreadable++;
      else fn(v);
    });
  }

  private async subscribeAll(): Promise<void> {
    const c = this.conn;
    if (!c) return;
    await c.invoke('SubscribeAccounts');
    for (const id of this.o.accountIds) {
      await c.invoke('SubscribeOrders', id);
      await c.invoke('SubscribePositions', id);
      await c.invoke('SubscribeTrades', id);
    }
  }

  private async resubscribe(): Promise<void> {
    try {
      await this.subscribeAll();
    } catch (e) {
      // Dropped again before the subscriptions went through: the next reconnect retries.
      this.h.onDown(e instanceof Error ? e.message : String(e));
      return;
    }
    this.connected = true;
    this.h.onResubscribed();
  }

  async stop(): Promise<void> {
    const c = this.conn;
    this.conn = undefined;
    this.connected = false;
    await closeHub(c);
  }
}
