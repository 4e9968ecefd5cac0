/**
 * The fake market hub: SignalR's JSON hub protocol over a WebSocket (no negotiate: clients connect
 * with `skipNegotiation`), records ended by the 0x1E separator. Handshake, invocations with
 * completions, pings, and `GatewayQuote` pushes to the connections subscribed to a contract.
 */
import type { FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import type { WebSocket } from 'ws';
import { jsonBody } from '../mapper.ts';

const RS = '\u001e';

interface Client {
  readonly socket: WebSocket;
  readonly quotes: Set<string>;
  handshaken: boolean;
}

export class FakeMarketHub {
  private readonly clients = new Set<Client>();

  async register(app: FastifyInstance, tokenOk: (t: string) => boolean): Promise<void> {
    await app.register(websocket);
    app.get('/hubs/market', { websocket: true }, (socket, req) => {
      // Browsers put the token in the query, Node clients in the Authorization header.
      const token =
        (req.query as { access_token?: string }).access_token ??
        (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (!tokenOk(token)) {
        socket.close(4401, 'unauthorized');
        return;
      }
      const client: Client = { socket, quotes: new Set(), handshaken: false };
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
      if (msg.type === 6) continue;
      if (msg.type === 7) {
        c.socket.close();
        continue;
      }
      if (msg.type !== 1) continue;
      const arg = msg.arguments?.[0];
      if (msg.target === 'SubscribeContractQuotes' && typeof arg === 'string') c.quotes.add(arg);
      if (msg.target === 'UnsubscribeContractQuotes' && typeof arg === 'string') c.quotes.delete(arg);
      if (msg.invocationId !== undefined)
        c.socket.send(`${JSON.stringify({ type: 3, invocationId: msg.invocationId, result: null })}${RS}`);
    }
  }

  /** Pushes a quote; resolves once every subscriber's frame has been written. */
  async quote(contractId: string, payload: Record<string, unknown>): Promise<void> {
    const frame = `${jsonBody({ type: 1, target: 'GatewayQuote', arguments: [contractId, payload] })}${RS}`;
    const sends: Promise<void>[] = [];
    for (const c of this.clients)
      if (c.quotes.has(contractId)) sends.push(new Promise((resolve) => c.socket.send(frame, () => resolve())));
    await Promise.all(sends);
  }

  close(): void {
    for (const c of this.clients) c.socket.terminate();
    this.clients.clear();
  }
}
