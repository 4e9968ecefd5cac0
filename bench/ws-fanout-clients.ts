/**
 * The client side of bench/ws-fanout.ts, on its own thread so that receiving does not share the
 * server's event loop: opens the WebSocket clients, subscribes each to one account's channels,
 * and records for every message the time from its `ts` (when the node published it) to receipt.
 */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

interface Setup {
  url: string;
  key: string;
  clients: number;
  account: string;
  channels: string[];
}
const setup = workerData as Setup;
const latencies: number[] = [];
const sockets: WebSocket[] = [];
let closedEarly = 0;

function open(): Promise<void> {
  const ws = new WebSocket(setup.url, { headers: { 'x-api-key': setup.key } });
  sockets.push(ws);
  return new Promise((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () =>
      ws.send(JSON.stringify({ op: 'subscribe', channels: setup.channels, accounts: [setup.account] })),
    );
    ws.on('close', () => closedEarly++);
    ws.on('message', (raw) => {
      const m = JSON.parse(String(raw)) as { op?: string; channel?: string; ts?: string };
      if (m.op === 'subscribed') return resolve();
      if (m.channel && m.ts) latencies.push(Date.now() - Date.parse(m.ts));
    });
  });
}

// A few at a time: 500 upgrades at once would measure the accept queue, not the fan-out.
for (let i = 0; i < setup.clients; i += 25)
  await Promise.all(Array.from({ length: Math.min(25, setup.clients - i) }, open));
parentPort!.postMessage({ ready: true });
parentPort!.on('message', (m: { report?: boolean }) => {
  if (!m.report) return;
  const closed = closedEarly;
  for (const ws of sockets) ws.close();
  parentPort!.postMessage({ latencies, closedEarly: closed });
});
