/**
 * `GET /ws` (DESIGN §6): the node's bus for WebSocket clients. Messages are
 * `{"seq","channel","account","ts","data"}` (quotes: `{"channel":"quotes","symbol","ts","data"}`);
 * replies and notices carry an `op` (`authenticated`, `subscribed`, `unsubscribed`, `resync`,
 * `ping`, `pong`, `error`); `authenticated`, `subscribed` and `resync` carry the node start's
 * stream `epoch`, which a resuming client sends back with `since`. The protocol is in
 * ws-protocol.ts, a client's life in ws-connection.ts, the shared ring buffer and bus subscription
 * in ws-hub.ts.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import websocket from '@fastify/websocket';
import { AppError } from '../errors.ts';
import type { Authenticator } from './auth.ts';
import { StreamHub } from './ws-hub.ts';
import { StreamConnection, type StreamLimits } from './ws-connection.ts';

export interface StreamOptions {
  /** Messages kept per account for resuming with `since` (default 10 000). */
  readonly bufferPerAccount?: number;
  /** Heartbeat interval, ms (default 15 000); a peer silent for two is dropped. */
  readonly heartbeatMs?: number;
  /** Time to send `{"op":"auth"}` without auth headers, ms (default 5 000). */
  readonly authTimeoutMs?: number;
  /** Unsent bytes per client before writing pauses (default 256 KiB). */
  readonly highWaterBytes?: number;
  /** Unsent bytes per client before it is closed as a slow consumer (default 4 MiB). */
  readonly maxBufferedBytes?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The WebSocket fan-out (client count for metrics). */
    streams: StreamHub;
  }
}

/** Client messages are small ops; anything bigger is refused by the ws layer (close 1009). */
const MAX_CLIENT_MESSAGE = 16 * 1024;
const SHUTDOWN_GRACE_MS = 1_000;

export const streamRoutes: FastifyPluginAsync<StreamOptions & { readonly auth: Authenticator }> = async (app, opts) => {
  const hub = new StreamHub(app.node.bus, {
    ...opts,
    labels: (listener) => app.workspace.onLabel(listener),
  });
  const limits: StreamLimits = {
    authTimeoutMs: opts.authTimeoutMs ?? 5_000,
    highWaterBytes: opts.highWaterBytes ?? 256 * 1024,
    maxBufferedBytes: opts.maxBufferedBytes ?? 4 * 1024 * 1024,
  };
  app.decorate('streams', hub);
  await app.register(websocket, { options: { maxPayload: MAX_CLIENT_MESSAGE }, preClose: closeClients });
  app.addHook('onClose', async () => hub.close());
  app.route({
    method: 'GET',
    url: '/ws',
    handler: async () => {
      throw new AppError('ERR_INPUT_INVALID', 'GET /ws is a WebSocket endpoint: connect with Upgrade: websocket');
    },
    wsHandler: (socket, req) => {
      new StreamConnection(socket, { hub, node: app.node, auth: opts.auth, limits }).start(req.headers, req.url);
    },
  });
};

/** Server shutdown: every client gets a 1001 close, and a moment to answer it before the socket goes. */
async function closeClients(this: FastifyInstance): Promise<void> {
  const server = this.websocketServer;
  const open = [...server.clients];
  for (const client of open) client.close(1001, 'server shutting down');
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, SHUTDOWN_GRACE_MS);
    const check = () => {
      if (open.every((c) => c.readyState === c.CLOSED)) {
        clearTimeout(timer);
        resolve();
      }
    };
    for (const c of open) c.once('close', check);
    check();
  });
  for (const client of open) client.terminate();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

// Not encapsulated (what fastify-plugin does, without the dependency): `streams` is visible to the
// metrics and health plugins registered beside it.
(streamRoutes as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
