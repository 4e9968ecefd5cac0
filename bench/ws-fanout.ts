/**
 * WebSocket fan-out latency benchmark (issue 14): a real trading node (paper broker, SQLite
 * journal) and API server on 127.0.0.1:0; 500 clients on a worker thread subscribe to one
 * account's `fills` and `risk`; paper market orders placed through the node's commands make the
 * events. Latency is the message's `ts` (gateway time when the node published it) to the client's
 * receipt, over every message of every client. Bounded run time. Target on the 2-core machine:
 * P95 ≤ 50 ms. Writes bench/results/ws-fanout.json.
 * Run: npm run bench:ws [-- orders [clients]]
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import { parse } from 'yaml';
import type { PaperBroker } from '../src/adapters/paper/index.ts';
import { configSchema } from '../src/config/schema.ts';
import { parseFixed } from '../src/domain/money.ts';
import { TradingNode } from '../src/node/node.ts';
import { ApiKeyStore } from '../src/server/api-keys.ts';
import { buildServer } from '../src/server/app.ts';
import { startTsWorker } from '../src/ts-worker.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const ORDERS = Number(process.argv[2] ?? 200);
const CLIENTS = Number(process.argv[3] ?? 500);
const ORDER_GAP_MS = 20;
const RUN_LIMIT_MS = 120_000;
const TARGET_P95_MS = 50;
const ACCOUNT = 'A1';

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ask<T>(worker: Worker, message: unknown, key: keyof T): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: T) => {
      if (m[key] === undefined) return;
      worker.off('message', onMessage);
      resolve(m);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
    if (message !== undefined) worker.postMessage(message);
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-bench-ws-'));
  const config = configSchema.parse(
    parse(`paper:\n  accounts: [ { id: ${ACCOUNT}, balance: "1000000" } ]\nrisk:\n  mode: shadow\n`),
  );
  const node = await TradingNode.build({ config, dataDir: dir, feed: false, reconcileMs: 3_600_000 });
  await node.start();
  const keys = ApiKeyStore.open(dir);
  const key = keys.create({ role: 'viewer', accounts: [ACCOUNT] }).key;
  const app = await buildServer({ node, auth: { fromApiKey: (k) => keys.verify(k) } });
  const url = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws') + '/ws';
  const broker = node.live!.broker as PaperBroker;
  broker.feedQuote({
    symbol: 'MES',
    ts: Date.now(),
    bid: parseFixed('5000'),
    ask: parseFixed('5000.25'),
    last: parseFixed('5000'),
  });

  const worker = startTsWorker(new URL('./ws-fanout-clients.ts', import.meta.url), {
    url,
    key,
    clients: CLIENTS,
    account: ACCOUNT,
    channels: ['fills', 'risk'],
  });
  const limit = setTimeout(() => {
    console.error(`ws-fanout: run limit of ${RUN_LIMIT_MS / 1000} s reached`);
    process.exit(1);
  }, RUN_LIMIT_MS);
  limit.unref();
  await ask<{ ready: boolean }>(worker, undefined, 'ready');
  const seqBefore = node.bus.seqOf(ACCOUNT);
  const started = performance.now();
  let rejected = 0;
  for (let i = 0; i < ORDERS; i++) {
    const r = await node.submitOrder({
      account: ACCOUNT,
      symbol: 'MES',
      side: i % 2 === 0 ? 'buy' : 'sell',
      qty: parseFixed('1'),
      type: 'market',
    });
    if (r.status === 'rejected' || r.order.status === 'rejected') rejected++;
    await pause(ORDER_GAP_MS);
  }
  await node.idle();
  await pause(1000);
  const seconds = (performance.now() - started) / 1000;
  const { latencies, closedEarly } = await ask<{ latencies: number[]; closedEarly: number }>(
    worker,
    { report: true },
    'latencies',
  );
  const sorted = latencies.sort((a, b) => a - b);
  // Every subscriber gets every fills/risk message of the account; the bus also numbers other channels.
  const result = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, loadavg1: loadavg()[0] },
    clients: CLIENTS,
    channels: ['fills', 'risk'],
    orders: ORDERS,
    rejectedOrders: rejected,
    accountMessagesPublished: node.bus.seqOf(ACCOUNT) - seqBefore,
    messagesReceived: sorted.length,
    messagesPerClient: sorted.length / CLIENTS,
    clientsClosedEarly: closedEarly,
    seconds: Number(seconds.toFixed(1)),
    latencyMs: {
      p50: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      p99: quantile(sorted, 0.99),
      max: sorted.at(-1),
    },
    targetP95Ms: TARGET_P95_MS,
    meetsTarget: quantile(sorted, 0.95) <= TARGET_P95_MS,
  };
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results/ws-fanout.json'), JSON.stringify(result, null, 2) + '\n');
  console.log(JSON.stringify(result, null, 2));
  await worker.terminate();
  await app.close();
  keys.close();
  await node.stop('bench');
  clearTimeout(limit);
}

await main();
