import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveStream, type LinkState, type SocketLike } from './stream.ts';
import type { AccountMessage } from './types.ts';

class FakeSocket implements SocketLike {
  readyState = 1;
  sent: Record<string, unknown>[] = [];
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  send(data: string): void {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close(): void {}
  server(m: unknown): void {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
}

function harness() {
  const sockets: FakeSocket[] = [];
  const got: AccountMessage[] = [];
  const resyncs: string[] = [];
  const states: LinkState[] = [];
  const stream = new LiveStream(
    'ws://x/ws',
    { apiKey: 'k' },
    ['A1'],
    {
      onMessage: (m) => got.push(m),
      onQuote: () => undefined,
      onResync: (a) => resyncs.push(a),
      onState: (s) => states.push(s),
    },
    {
      retryMs: 1,
      socket: () => {
        const s = new FakeSocket();
        sockets.push(s);
        return s;
      },
    },
  );
  const connect = (seq: number) => {
    const s = sockets[sockets.length - 1]!;
    s.onopen?.({});
    s.server({ op: 'authenticated', role: 'trader' });
    s.server({ op: 'subscribed', seq: { A1: seq } });
    return s;
  };
  return { stream, sockets, got, resyncs, states, connect };
}

const message = (seq: number) => ({ seq, channel: 'fills', account: 'A1', ts: 't', data: {} });

test('auth by first message, subscribe, load once over REST, then apply messages in seq order', () => {
  const h = harness();
  h.stream.start();
  const s = h.connect(10);
  assert.deepEqual(s.sent[0], { op: 'auth', apiKey: 'k' });
  assert.equal(s.sent[1]!.op, 'subscribe');
  assert.equal(s.sent[1]!.since, undefined);
  assert.deepEqual(h.resyncs, ['A1']);
  s.server(message(11));
  s.server(message(11));
  s.server(message(12));
  assert.deepEqual(
    h.got.map((m) => m.seq),
    [11, 12],
  );
  assert.deepEqual(h.states, ['connecting', 'live']);
  h.stream.stop();
});

test('after a disconnect it reconnects and resumes from the last seq, or reloads on resync', async () => {
  const h = harness();
  h.stream.start();
  const first = h.connect(10);
  first.server(message(11));
  first.onclose?.({ code: 1006, reason: '' });
  assert.equal(h.states[h.states.length - 1], 'reconnecting');
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(h.sockets.length, 2);
  const second = h.sockets[1]!;
  second.onopen?.({});
  second.server({ op: 'authenticated', role: 'trader' });
  assert.deepEqual(second.sent[1]!.since, { A1: 11 });
  second.server({ op: 'subscribed', seq: { A1: 14 } });
  second.server(message(12));
  assert.deepEqual(h.resyncs, ['A1'], 'resuming needs no reload');
  second.server({ op: 'resync', account: 'A1', seq: 20 });
  assert.deepEqual(h.resyncs, ['A1', 'A1']);
  second.server(message(20));
  second.server(message(21));
  assert.deepEqual(
    h.got.map((m) => m.seq),
    [11, 12, 21],
  );
  h.stream.stop();
});

test('heartbeats are answered, and a rejected key stops retrying', () => {
  const h = harness();
  h.stream.start();
  const s = h.connect(0);
  s.server({ op: 'ping' });
  assert.deepEqual(s.sent[s.sent.length - 1], { op: 'pong' });
  s.onclose?.({ code: 1008, reason: 'ERR_AUTH_INVALID' });
  assert.equal(h.states[h.states.length - 1], 'failed');
  h.stream.stop();
});

test('the epoch is kept and sent back with since; another epoch (a node restart) reloads once and restarts the seqs', async () => {
  const h = harness();
  h.stream.start();
  const first = h.sockets[0]!;
  first.onopen?.({});
  first.server({ op: 'authenticated', role: 'trader', epoch: 'e1' });
  first.server({ op: 'subscribed', seq: { A1: 40 }, epoch: 'e1' });
  first.server(message(41));
  first.onclose?.({ code: 1001, reason: 'server shutting down' });
  await new Promise((r) => setTimeout(r, 20));
  const second = h.sockets[1]!;
  second.onopen?.({});
  second.server({ op: 'authenticated', role: 'trader', epoch: 'e2' });
  assert.deepEqual(second.sent[1]!.since, { A1: 41 });
  assert.equal(second.sent[1]!.epoch, 'e1');
  // The restarted node has fewer messages than the old since: its seqs start again.
  second.server({ op: 'subscribed', seq: { A1: 3 }, epoch: 'e2' });
  second.server({ op: 'resync', account: 'A1', seq: 3, epoch: 'e2' });
  assert.deepEqual(h.resyncs, ['A1', 'A1'], 'one reload for the new start, not two');
  second.server(message(4));
  assert.deepEqual(
    h.got.map((m) => m.seq),
    [41, 4],
  );
  assert.equal(h.stream.seqOf('A1'), 4);
  h.stream.stop();
});

test('a server without epochs: resume by since alone, as before', async () => {
  const h = harness();
  h.stream.start();
  const first = h.connect(5);
  first.onclose?.({ code: 1006, reason: '' });
  await new Promise((r) => setTimeout(r, 20));
  const second = h.sockets[1]!;
  second.onopen?.({});
  second.server({ op: 'authenticated', role: 'trader' });
  assert.deepEqual(second.sent[1]!.since, { A1: 5 });
  assert.equal('epoch' in second.sent[1]!, false);
  second.server({ op: 'subscribed', seq: { A1: 9 } });
  assert.deepEqual(h.resyncs, ['A1']);
  h.stream.stop();
});

test('with a label handler it subscribes to the labels topic and passes each change on', () => {
  const labels: string[] = [];
  const sockets: FakeSocket[] = [];
  const stream = new LiveStream(
    'ws://x/ws',
    { apiKey: 'k' },
    ['A1'],
    {
      onMessage: () => undefined,
      onQuote: () => undefined,
      onResync: () => undefined,
      onState: () => undefined,
      onLabel: (event, label) => labels.push(`${event}:${label.id}`),
    },
    { socket: () => (sockets.push(new FakeSocket()), sockets.at(-1)!) },
  );
  stream.start();
  const s = sockets[0]!;
  s.onopen?.({});
  s.server({ op: 'authenticated', role: 'viewer', epoch: 'e1' });
  assert.deepEqual(s.sent[2], { op: 'subscribe', channel: 'labels' });
  s.server({ op: 'subscribed', seq: { A1: 1 }, epoch: 'e1' });
  s.server({ op: 'subscribed', channel: 'labels', symbols: null });
  s.server({ channel: 'labels', symbol: 'MES', ts: 't', data: { event: 'created', label: { id: 'lb_1' } } });
  s.server({ channel: 'labels', symbol: 'MES', ts: 't', data: { event: 'deleted', label: { id: 'lb_1' } } });
  assert.deepEqual(labels, ['created:lb_1', 'deleted:lb_1']);
  assert.equal(stream.seqOf('A1'), 1, "the topic's reply is not an account subscription");
  stream.stop();
});
