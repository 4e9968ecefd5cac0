/**
 * API load benchmark (issue 14): a real `riskgate start` (paper broker, SQLite journal) in a child
 * process on 127.0.0.1, loaded by autocannon from this process with 200 connections for a bounded
 * time per route: `GET /api/v1/accounts/:id/risk` and `POST /api/v1/orders` (alternating buy and
 * sell market orders; skipped with a message when the route answers 404 in this build). Latency
 * percentiles are computed from every response time (autocannon's summary has no P95). Targets on
 * the 2-core machine: P95 ≤ 20 ms, 0 errors. Writes bench/results/api.json.
 * Run: npm run bench:api [-- seconds-per-route]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { ApiKeyStore } from '../src/server/api-keys.ts';
import { apiInfoPath } from '../src/server/local-admin.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const SECONDS = Number(process.argv[2] ?? 10);
const CONNECTIONS = 200;
const TARGET_P95_MS = 20;

interface RouteResult {
  route: string;
  requests: number;
  perSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** The server process's CPU time per request: steadier than latency on a shared machine. */
  serverCpuUsPerRequest?: number;
}

/** CPU time (user + system, ms) of a process so far, from /proc (undefined elsewhere). */
function cpuMsOf(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in USER_HZ (100)
  } catch {
    return undefined;
  }
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function load(
  url: string,
  key: string,
  route: string,
  opts: { method?: 'GET' | 'POST'; bodies?: string[]; seconds: number; serverPid?: number },
): Promise<RouteResult> {
  const cpuBefore = cpuMsOf(opts.serverPid);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  const headers = { 'x-api-key': key, 'content-type': 'application/json' };
  const instance = autocannon({
    url: opts.bodies ? url : url + route,
    connections: CONNECTIONS,
    duration: opts.seconds,
    timeout: 10,
    ...(opts.bodies
      ? { requests: opts.bodies.map((body) => ({ method: opts.method ?? 'POST', path: route, headers, body })) }
      : { method: opts.method ?? 'GET', headers }),
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  const r = await instance;
  const cpuAfter = cpuMsOf(opts.serverPid);
  latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    route: `${opts.method ?? 'GET'} ${route}`,
    requests: latencies.length,
    perSecond: Math.round(latencies.length / opts.seconds),
    p50Ms: round(quantile(latencies, 0.5)),
    p95Ms: round(quantile(latencies, 0.95)),
    p99Ms: round(quantile(latencies, 0.99)),
    maxMs: round(latencies[latencies.length - 1] ?? NaN),
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes,
    ...(cpuBefore !== undefined && cpuAfter !== undefined && latencies.length > 0
      ? { serverCpuUsPerRequest: Math.round(((cpuAfter - cpuBefore) * 1000) / latencies.length) }
      : {}),
  };
}

async function startNode(dataDir: string, config: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--max-semi-space-size=64',
      'bin/riskgate.mjs',
      'start',
      '--port',
      '0',
      '--no-demo',
      '--config',
      config,
      '--data-dir',
      dataDir,
      '--feed-ms',
      '1000',
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  for (let i = 0; i < 600; i++) {
    if (existsSync(apiInfoPath(dataDir)))
      return { child, url: (JSON.parse(readFileSync(apiInfoPath(dataDir), 'utf8')) as { url: string }).url };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGTERM');
  throw new Error('riskgate start did not publish its API address');
}

async function main(): Promise<void> {
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-bench-api-'));
  const dataDir = path.join(dir, 'data');
  const config = path.join(dir, 'riskgate.yaml');
  // No risk rules and an unlimited tier: the benchmark measures the API path, not refusals.
  writeFileSync(
    config,
    'paper:\n  accounts: [ { id: A1, balance: "10000000" } ]\nnewOrders: { perSecond: 1000000, burst: 1000000 }\nserver:\n  rateLimits: { default: { perMinute: 600 }, tiers: { bench: { perMinute: 1000000000 } } }\n',
  );
  const keys = ApiKeyStore.open(dataDir);
  const { key } = keys.create({ role: 'admin', tier: 'bench', label: 'bench' });
  keys.close();
  const { child, url } = await startNode(dataDir, config);
  const results: Record<string, RouteResult | { skipped: string }> = {};
  try {
    process.stderr.write(`node at ${url}; warm-up 2 s\n`);
    await load(url, key, '/api/v1/accounts/A1/risk', { seconds: 2 });
    results.risk = await load(url, key, '/api/v1/accounts/A1/risk', { seconds: SECONDS, serverPid: child.pid });
    const order = (side: string) => JSON.stringify({ account: 'A1', symbol: 'MES', side, qty: 1, orderType: 'market' });
    const probe = await fetch(`${url}/api/v1/orders`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: order('buy'),
    });
    const probeBody = await probe.text();
    if (probe.status === 404)
      results.orders = { skipped: `POST /api/v1/orders answers 404 in this build: ${probeBody.slice(0, 200)}` };
    else if (probe.status >= 300)
      results.orders = {
        skipped: `POST /api/v1/orders refused the benchmark order (HTTP ${probe.status}): ${probeBody.slice(0, 300)}`,
      };
    else
      results.orders = await load(url, key, '/api/v1/orders', {
        method: 'POST',
        bodies: [order('sell'), order('buy')],
        seconds: SECONDS,
        serverPid: child.pid,
      });
  } finally {
    child.kill('SIGTERM');
  }
  const out = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model ?? '?',
      loadavgBefore: loadBefore,
      loadavgAfter: loadavg().map((x) => Math.round(x * 100) / 100),
      node: process.version,
    },
    connections: CONNECTIONS,
    secondsPerRoute: SECONDS,
    targets: { p95Ms: TARGET_P95_MS, errors: 0 },
    results,
  };
  mkdirSync(path.join(root, 'bench/results'), { recursive: true });
  writeFileSync(path.join(root, 'bench/results/api.json'), JSON.stringify(out, null, 2) + '\n');
  for (const [name, r] of Object.entries(results)) {
    if ('skipped' in r) process.stdout.write(`${name}: skipped: ${r.skipped}\n`);
    else {
      const ok = r.p95Ms <= TARGET_P95_MS && r.errors + r.timeouts + r.non2xx === 0;
      process.stdout.write(
        `${name}: ${r.route}  ${r.requests} requests (${r.perSecond}/s)  P50 ${r.p50Ms} ms  P95 ${r.p95Ms} ms  P99 ${r.p99Ms} ms  errors ${r.errors}  timeouts ${r.timeouts}  non-2xx ${r.non2xx}  server CPU ${r.serverCpuUsPerRequest ?? '?'} µs/request  ${ok ? 'meets' : 'MISSES'} the target\n`,
      );
    }
  }
  process.stdout.write('bench/results/api.json written\n');
}

await main();
