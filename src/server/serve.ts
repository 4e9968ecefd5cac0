/**
 * Serving the API of a running node (`riskgate start`): the server on host:port with the data
 * dir's API keys (and JWT when configured), closed before the node drains.
 */
import type { FastifyInstance } from 'fastify';
import type { TradingNode } from '../node/node.ts';
import { buildServer } from './app.ts';
import { ApiKeyStore } from './api-keys.ts';
import { AppError } from '../errors.ts';

export interface Served {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly keys: ApiKeyStore;
  close(): Promise<void>;
}

export async function serveNode(node: TradingNode, opts: { host: string; port: number; dataDir: string }): Promise<Served> {
  const keys = ApiKeyStore.open(opts.dataDir);
  const app = await buildServer({ node, auth: { fromApiKey: (k) => keys.verify(k) }, apiKeys: keys });
  let url: string;
  try {
    url = await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    await app.close();
    keys.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError('ERR_SERVER_LISTEN', `${opts.host}:${opts.port}: ${code === 'EADDRINUSE' ? 'the port is in use (another riskgate? choose one with --port)' : (err as Error).message}`);
  }
  return {
    app,
    url,
    keys,
    async close() {
      await app.close();
      keys.close();
    },
  };
}
