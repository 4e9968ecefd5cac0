/**
 * The fake real-time hubs: SignalR's JSON hub protocol over a WebSocket (no negotiate: clients
 * connect with `skipNegotiation`), records ended by the 0x1E separator. Handshake, invocations
 * with completions, pings, and pushes to the connections subscribed:
 *
 *   /hubs/market  SubscribeContractQuotes|Trades|MarketDepth(contractId) → GatewayQuote|Trade|Depth(contractId, data)
 *   /hubs/user    SubscribeAccounts() → GatewayUserAccount(data);
 *                 SubscribeOrders|Positions|Trades(accountId) → GatewayUserOrder|Position|Trade(data)
 *
 * Faults (`HubFaults`): every socket dropped (`drop`), reconnects refused while `down`, each user
 * event sent twice (`duplicate`), user events held and sent in reverse order (`reorder`).
 */
import type { FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { jsonBody } from '../mapper.ts';

const RS = '\u001e';

type HubName = 'market' | 'user';

interface Client {
  readonly hub: HubName;
  readonly socket: WebSocket;
  /** Subscription keys: `GatewayQuote:<contractId>`, `GatewayUserOrder:<accountId>`, `GatewayUserAccount`. */
  readonly subs: Set<string>;
  handshaken: boolean;
}

export interface HubFaults {
  /** New hub connections are refused (a hub outage); existing ones are left alone. */
  down: boolean;
  /** Every user-hub event is sent twice. */
  duplicate: boolean;
  /** User-hub events are held and sent newest first once `reorder` events are held (0 = off). */
  reorder: number;
}

const MARKET_SUBS: Readonly<Record<string, string>> = {
  SubscribeContractQuotes: 'GatewayQuote',
  SubscribeContractTrades: 'GatewayTrade',
  SubscribeContractMarketDepth: 'GatewayDepth',
};
const USER_SUBS: Readonly<Record<string, string>> = {
  SubscribeOrders: 'GatewayUserOrder',
  SubscribePositions: 'GatewayUserPosition',
  SubscribeTrades: 'GatewayUserTrade',
};

export class FakeHubs {
  private readonly clients = new Set<Client>();
  readonly faults: HubFaults = { down: false, duplicate: false, reorder: 0 };
  private held: { key: string; frame: string }[] = [];
  /** Connections accepted so far (a reconnect adds one). */
  connections = 0;

  async register(app: FastifyInstance, tokenOk: (t: string) => boolean): Promise<void> {
    await app.register(websocket);
    for (const hub of ['market', 'user'] as const)
      app.get(`/hubs/${hub}`, { websocket: true }, (socket, req) => {
        // Browsers put the token in the query, Node clients in the Authorization header: either will do.
        const tokens = [
          (req.query as { access_token?: string }).access_token ?? '',
          (req.headers.authorization ?? '').replace(/^Bearer /, ''),
        ];
        if (this.faults.down || !tokens.some(tokenOk)) {
          socket.close(this.faults.down ? 1011 : 4401, this.faults.down ? 'unavailable' : 'unauthorized');
          return;
        }
        this.connections++;
        const client: Client = { hub, socket, subs: new Set(), handshaken: false };
        this.clients.add(client);
        socket.on('message', (data) => this.onFrames(client, String(data)));
        socket.on('close', () => this.clients.delete(client));
      });
  }

  private onFrames(c: Client, text: string): void {
    for (const frame of text.split(RS)) {
      if (frame === '') continue;
      const msg = JSON.parse(frame) as { type?: number; invocationId?: string; target?: string; arguments?: unknown[] };
      if (!c.handshaken) {
        c.handshaken = true;
        c.socket.send(`{}${RS}`);
        continue;
      }
      if (msg.type === 7) c.socket.close();
      if (msg.type !== 1 || msg.target === undefined) continue;
      this.subscription(c, msg.target, msg.arguments?.[0]);
      if (msg.invocationId !== undefined)
        c.socket.send(`${JSON.stringify({ type: 3, invocationId: msg.invocationId, result: null })}${RS}`);
    }
  }

  private subscription(c: Client, target: string, arg: unknown): void {
    const table = c.hub === 'market' ? MARKET_SUBS : USER_SUBS;
    const unsub = target.startsWith('Unsubscribe');
    const name = unsub ? target.replace('Unsubscribe', 'Subscribe') : target;
    const key =
      name === 'SubscribeAccounts' && c.hub === 'user'
        ? 'GatewayUserAccount'
        : table[name] !== undefined && arg !== undefined
          ? `${table[name]}:${String(arg)}`
          : undefined;
    if (key === undefined) return;
    if (unsub) c.subs.delete(key);
    else c.subs.add(key);
  }

  /** Whether some connection listens to `key` (tests wait on this after a reconnect). */
  subscribed(key: string): boolean {
    return [...this.clients].some((c) => c.subs.has(key));
  }

  /** Pushes a market-hub event; resolves once every subscriber's frame has been written. */
  async market(target: 'GatewayQuote' | 'GatewayTrade' | 'GatewayDepth', contractId: string, data: unknown) {
    const frame = `${jsonBody({ type: 1, target, arguments: [contractId, data] })}${RS}`;
    await this.send(`${target}:${contractId}`, frame);
  }

  /** Pushes a user-hub event (subject to the duplicate / reorder faults). */
  async user(
    target: 'GatewayUserAccount' | 'GatewayUserOrder' | 'GatewayUserPosition' | 'GatewayUserTrade',
    accountId: number,
    data: unknown,
  ): Promise<void> {
    const key = target === 'GatewayUserAccount' ? target : `${target}:${accountId}`;
    const frame = `${jsonBody({ type: 1, target, arguments: [data] })}${RS}`;
    if (this.faults.reorder > 0) {
      this.held.push({ key, frame });
      if (this.held.length < this.faults.reorder) return;
      const out = this.held.reverse();
      this.held = [];
      for (const h of out) await this.sendUser(h.key, h.frame);
      return;
    }
    await this.sendUser(key, frame);
  }

  private async sendUser(key: string, frame: string): Promise<void> {
    await this.send(key, frame);
    if (this.faults.duplicate) await this.send(key, frame);
  }

  private async send(key: string, frame: string): Promise<void> {
    const sends: Promise<void>[] = [];
    for (const c of this.clients)
      if (c.subs.has(key)) sends.push(new Promise((resolve) => c.socket.send(frame, () => resolve())));
    await Promise.all(sends);
  }

  /** Sends any user events held by `reorder` (newest first). */
  async flushHeld(): Promise<void> {
    const out = this.held.reverse();
    this.held = [];
    for (const h of out) await this.sendUser(h.key, h.frame);
  }

  /** Drops every hub connection at once (clients see a lost connection and reconnect). */
  drop(): void {
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
  }

  close(): void {
    this.drop();
  }
}
