/**
 * Serving the API of a running node (`riskgate start`): the server on host:port with the data
 * dir's API keys, JWT when `server.jwt` is configured (its key file relative to the config file's
 * directory) and the rate limits of `server.rateLimits`; the local admin access for the CLI is
 * published once it listens. Closed before the node drains.
 */
import type { FastifyInstance } from 'fastify';
import type { RawConfig } from '../config/schema.ts';
import type { TradingNode } from '../node/node.ts';
import { buildServer } from './app.ts';
import { ApiKeyStore } from './api-keys.ts';
import { jwtOptionsFromConfig, jwtVerifier } from './jwt.ts';
import { publishLocalAccess } from './local-admin.ts';
import { AppError } from '../errors.ts';

export interface Served {
  readonly app: FastifyInstance;
  readonly url: string;
  readonly keys: ApiKeyStore;
  close(): Promise<void>;
}

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** The `server` section of the config. */
  readonly server?: RawConfig['server'];
  /** Directory relative paths of the config are taken from (the config file's; default cwd). */
  readonly configDir?: string;
}

export async function serveNode(node: TradingNode, opts: ServeOptions): Promise<Served> {
  const jwt = opts.server?.jwt
    ? jwtVerifier(jwtOptionsFromConfig(opts.server.jwt, opts.configDir ?? process.cwd()))
    : undefined;
  const keys = ApiKeyStore.open(opts.dataDir);
  const app = await buildServer({
    node,
    auth: { fromApiKey: (k) => keys.verify(k), ...(jwt ? { fromToken: jwt } : {}) },
    apiKeys: keys,
    ...(opts.server?.rateLimits ? { rateLimits: opts.server.rateLimits } : {}),
  });
  let url: string;
  try {
    url = await app.listen({ host: opts.host, port: opts.port });
  } catch (err) {
    await app.close();
    keys.close();
    const code = (err as NodeJS.ErrnoException).code;
    throw new AppError(
      'ERR_SERVER_LISTEN',
      `${opts.host}:${opts.port}: ${code === 'EADDRINUSE' ? 'the port is in use (another riskgate? choose one with --port)' : (err as Error).message}`,
    );
  }
  const unpublish = publishLocalAccess(opts.dataDir, url, keys);
  return {
    app,
    url,
    keys,
    async close() {
      unpublish();
      await app.close();
      keys.close();
    },
  };
}
