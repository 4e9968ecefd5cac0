/**
 * The per-account ring a WebSocket client resumes from: what it holds after wrapping, and which
 * `since` values it can replay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NodeBus } from '../node/bus.ts';
import { AccountRing, StreamHub } from './ws-hub.ts';

const msg = (seq: number) => ({
  seq,
  channel: 'fills' as const,
  account: 'A1',
  ts: '2026-01-05T15:00:00.000Z',
  data: { n: seq },
});

test('given 10 messages in a ring of 4, it holds the last 4, serialized once', () => {
  const ring = new AccountRing(4);
  assert.equal(ring.lastSeq, 0);
  for (let s = 1; s <= 10; s++) ring.push(msg(s));
  assert.equal(ring.oldestSeq, 7);
  assert.equal(ring.lastSeq, 10);
  assert.equal(ring.get(6), undefined);
  assert.equal(ring.get(11), undefined);
  assert.deepEqual(
    [7, 8, 9, 10].map((s) => JSON.parse(ring.get(s)!.wire).data.n),
    [7, 8, 9, 10],
  );
  assert.deepEqual(JSON.parse(ring.get(8)!.wire), {
    seq: 8,
    channel: 'fills',
    account: 'A1',
    ts: '2026-01-05T15:00:00.000Z',
    data: { n: 8 },
  });
});

test('a since can be replayed only when everything after it is held and it is not in the future', () => {
  const ring = new AccountRing(4);
  for (let s = 1; s <= 10; s++) ring.push(msg(s));
  assert.equal(ring.covers(6, 10), true, 'needs 7..10: held');
  assert.equal(ring.covers(5, 10), false, 'needs 6: evicted');
  assert.equal(ring.covers(10, 10), true, 'nothing missed');
  assert.equal(ring.covers(11, 10), false, 'a seq from before a restart');
  const empty = new AccountRing(4);
  assert.equal(empty.covers(3, 3), true);
  assert.equal(empty.covers(2, 3), false, 'published before the ring existed');
});

test('a gap in seqs (never from the bus) restarts the ring rather than replay a hole', () => {
  const ring = new AccountRing(8);
  for (const s of [1, 2, 3, 7, 8]) ring.push(msg(s));
  assert.equal(ring.oldestSeq, 7);
  assert.equal(ring.covers(3, 8), false);
  assert.equal(ring.covers(6, 8), true);
});

test('the hub buffers every account message of the bus and fans quotes out without buffering them', () => {
  const bus = new NodeBus();
  const hub = new StreamHub(bus, { bufferPerAccount: 3 });
  const seen: string[] = [];
  hub.add({
    onAccountMessage: (m) => seen.push(`${m.account}#${m.seq}`),
    onQuote: (q) => seen.push(q.symbol),
    heartbeat: () => {},
  });
  for (let i = 0; i < 5; i++) bus.publish('A1', 'risk', 't', {});
  bus.publish('A2', 'fills', 't', {});
  bus.publishQuote('MES', 't', { bid: '1' });
  assert.deepEqual(seen, ['A1#1', 'A1#2', 'A1#3', 'A1#4', 'A1#5', 'A2#1', 'MES']);
  assert.equal(hub.ring('A1').oldestSeq, 3);
  assert.equal(hub.ring('A2').lastSeq, 1);
  assert.equal(hub.currentSeq('A1'), 5);
  hub.close();
  bus.publish('A1', 'risk', 't', {});
  assert.equal(seen.length, 7, 'closed: off the bus');
});
