/**
 * A served node for the route tests: paper broker (A1, A2; MES quoted), SQLite store in a temp
 * dir, API keys for each role — admin, trader of A1, viewer of A1 — and `call` for inject().
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { configSchema } from '../config/schema.ts';
import { parseFixed } from '../domain/money.ts';
import type { PaperBroker } from '../adapters/paper/index.ts';
import { TradingNode } from '../node/node.ts';
import { ApiKeyStore } from './api-keys.ts';
import { buildServer } from './app.ts';
import type { BacktestJobs } from './backtests.ts';
import type { JobRegistry } from './jobs.ts';
import type { ReplayJobInput } from './replay-job.ts';
import type { ResearchInput } from './research-job.ts';

export const FIXTURE_CONFIG = `
risk:
  rules:
    RULE-001: { limit: 3 }
    RULE-003: { limit: "500" }
    RULE-011: { blocked: ["CL*"] }
paper:
  accounts: [ { id: A1, balance: "50000" }, { id: A2, balance: "50000" } ]
accounts:
  A2: { risk: { rules: { RULE-003: { limit: "900" } } } }
`;

export interface Fixture {
  readonly node: TradingNode;
  readonly app: FastifyInstance;
  readonly keys: ApiKeyStore;
  readonly dir: string;
  /** admin, trader (A1), viewer (A1), trader2 (A2). */
  readonly k: Record<'admin' | 'trader' | 'viewer' | 'trader2', string>;
  call(method: string, url: string, key?: string, body?: unknown): Promise<LightMyRequestResponse>;
  quote(symbol: string, bid: string, ask: string): void;
  close(): Promise<void>;
}

export async function fixture(
  opts: {
    backtests?: BacktestJobs;
    replays?: JobRegistry<ReplayJobInput>;
    research?: JobRegistry<ResearchInput>;
    config?: string;
    mode?: 'shadow' | 'enforce';
  } = {},
): Promise<Fixture> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-routes-'));
  const node = await TradingNode.build({
    config: configSchema.parse(parse(opts.config ?? FIXTURE_CONFIG)),
    dataDir: dir,
    feed: false,
    reconcileMs: 3_600_000,
    ...(opts.mode ? { mode: opts.mode } : {}),
  });
  await node.start();
  const keys = ApiKeyStore.open(dir);
  const k = {
    admin: keys.create({ role: 'admin' }).key,
    trader: keys.create({ role: 'trader', accounts: ['A1'] }).key,
    viewer: keys.create({ role: 'viewer', accounts: ['A1'] }).key,
    trader2: keys.create({ role: 'trader', accounts: ['A2'] }).key,
  };
  const app = await buildServer({
    node,
    auth: { fromApiKey: (key) => keys.verify(key) },
    apiKeys: keys,
    ...(opts.backtests ? { backtests: opts.backtests } : {}),
    ...(opts.replays ? { replays: opts.replays } : {}),
    ...(opts.research ? { research: opts.research } : {}),
  });
  const quote = (symbol: string, bid: string, ask: string) =>
    (node.live!.broker as PaperBroker).feedQuote({
      symbol,
      ts: Date.now(),
      bid: parseFixed(bid),
      ask: parseFixed(ask),
      last: parseFixed(bid),
    });
  quote('MES', '5000', '5000.25');
  return {
    node,
    app,
    keys,
    dir,
    k,
    quote,
    call: (method, url, key, body) =>
      app.inject({
        method: method as 'GET',
        url,
        headers: key ? { 'x-api-key': key } : {},
        ...(body !== undefined ? { payload: body as object } : {}),
      }),
    async close() {
      await app.close();
      keys.close();
      await node.stop('test');
    },
  };
}
