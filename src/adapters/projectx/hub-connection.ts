/**
 * One SignalR connection to a ProjectX hub (JSON protocol over WebSocket, no negotiate), as the
 * published examples build it, with a reconnect policy that never gives up: a risk gateway that
 * stops reconnecting would sit on stale data for good. The token goes in the `access_token` query
 * (what the docs show) and, fresh on every reconnect, as a bearer header (what Node's client sends).
 */
import {
  HttpTransportType,
  HubConnectionBuilder,
  HubConnectionState,
  LogLevel,
  type HubConnection,
  type IRetryPolicy,
} from '@microsoft/signalr';

export interface HubConnectionOptions {
  readonly url: string;
  /** The session token for the first connect. */
  readonly token: () => Promise<string>;
  /** A token for a reconnect: checked with the venue first, since a hub refuses a dead one. */
  readonly freshToken: () => Promise<string>;
  /** Delays between reconnect attempts (ms); the last one repeats. Default 0, 1 s, 2 s, 5 s, 10 s. */
  readonly reconnectDelaysMs?: readonly number[];
  /** The connection is lost (reconnecting). */
  readonly onDown: (why: string) => void;
  /** The connection is back (before subscriptions are renewed). */
  readonly onUp: () => void;
}

export const DEFAULT_RECONNECT_DELAYS_MS: readonly number[] = [0, 1000, 2000, 5000, 10_000];

/** Delays from the list, the last one forever. */
export function retryPolicy(delays: readonly number[]): IRetryPolicy {
  const list = delays.length > 0 ? delays : DEFAULT_RECONNECT_DELAYS_MS;
  return { nextRetryDelayInMilliseconds: (ctx) => list[Math.min(ctx.previousRetryCount, list.length - 1)] ?? 1000 };
}

/**
 * Builds and starts a hub connection; `wire` registers handlers before it starts. A hub that is
 * down at start does not fail the caller (a gateway restarted during a hub outage must still
 * enforce over REST): `onDown` is called and the start is retried in the background with the
 * reconnect delays, `onUp` once it succeeds. `connected` says whether it is up on return.
 */
export async function openHub(
  o: HubConnectionOptions,
  wire: (c: HubConnection) => void,
): Promise<{ conn: HubConnection; connected: boolean }> {
  const first = await o.token();
  let connects = 0;
  const withToken = (t: string) => `${o.url}${o.url.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(t)}`;
  const reconnectToken = async (): Promise<string> => {
    const t = await o.freshToken();
    try {
      // The query token of the next attempt (this one already has its URL).
      conn.baseUrl = withToken(t);
    } catch {
      // Not changeable in this state: the bearer header carries the fresh token.
    }
    return t;
  };
  const conn: HubConnection = new HubConnectionBuilder()
    .withUrl(withToken(first), {
      skipNegotiation: true,
      transport: HttpTransportType.WebSockets,
      accessTokenFactory: () => (connects++ === 0 ? Promise.resolve(first) : reconnectToken()),
    })
    .withAutomaticReconnect(retryPolicy(o.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS_MS))
    .configureLogging(LogLevel.None)
    .build();
  wire(conn);
  conn.onreconnecting((e) => o.onDown(e?.message ?? 'connection lost'));
  conn.onreconnected(() => o.onUp());
  conn.onclose((e) => o.onDown(e?.message ?? 'connection closed'));
  try {
    await conn.start();
    return { conn, connected: true };
  } catch (e) {
    o.onDown(e instanceof Error ? e.message : String(e));
    retryStart(conn, o);
    return { conn, connected: false };
  }
}

function retryStart(conn: HubConnection, o: HubConnectionOptions): void {
  const policy = retryPolicy(o.reconnectDelaysMs ?? DEFAULT_RECONNECT_DELAYS_MS);
  let attempt = 0;
  const next = (): void => {
    const wait =
      policy.nextRetryDelayInMilliseconds({
        previousRetryCount: attempt++,
        elapsedMilliseconds: 0,
        retryReason: new Error('start'),
      }) ?? 1000;
    const t = setTimeout(
      () => {
        if (conn.state !== HubConnectionState.Disconnected || stopped.has(conn)) return;
        conn.start().then(o.onUp, next);
      },
      Math.max(wait, 100),
    );
    t.unref();
  };
  next();
}

/** Connections stopped on purpose (no more start retries). */
const stopped = new WeakSet<HubConnection>();

/** Stops a hub connection for good (a pending start retry gives up). */
export async function closeHub(conn: HubConnection | undefined): Promise<void> {
  if (!conn) return;
  stopped.add(conn);
  await conn.stop();
}
