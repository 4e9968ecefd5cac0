/**
 * The `indicators` and `labels` topics of `GET /ws` over a real port and node (issue 14): an
 * indicator warmed from the marks seen and moved by every new one, equal to the analytics
 * indicator over the same marks; label changes pushed to those who may see them, never to a key
 * of another account; bad subscriptions answered with the field named.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sma, macd } from '../analytics/indicators.ts';
import { WsClient, op, type WsMessage } from '../../test/fixtures/ws-client.ts';
import { fixture, type Fixture } from './test-fixture.ts';

let f: Fixture;
let url: string;
const clients: WsClient[] = [];
before(async () => {
  f = await fixture();
  url = (await f.app.listen({ host: '127.0.0.1', port: 0 })).replace('http', 'ws') + '/ws';
});
after(async () => {
  for (const c of clients) c.close();
  await f.close();
});

async function client(key: string): Promise<WsClient> {
  const c = await WsClient.open(url, { 'x-api-key': key });
  clients.push(c);
  await c.next(op('authenticated'));
  return c;
}

/** Quotes MES at `price` and waits until the node's mark moved there. */
async function mark(price: string): Promise<number> {
  f.quote('MES', price, price);
  for (let i = 0; i < 100 && f.node.queries.mark('MES') !== price; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(f.node.queries.mark('MES'), price);
  return Number(price);
}

const indicatorOf = (id: string) => (m: WsMessage) => m.op === undefined && m.channel === 'indicators' && m.id === id;

test('an indicator is warmed from the marks seen, then moves with every new mark', async () => {
  const marks = [Number(f.node.queries.mark('MES'))];
  for (const p of ['5001', '5003', '5002']) marks.push(await mark(p));
  const c = await client(f.k.viewer);
  c.send({ op: 'subscribe', channel: 'indicators', symbol: 'MES', indicator: 'sma', params: { period: 3 }, id: 's3' });
  const ack = await c.next(op('subscribed'));
  assert.equal(ack.id, 's3');
  assert.equal(ack.marks, marks.length);
  const warm = await c.next(indicatorOf('s3'));
  assert.equal((warm.data as { value: number }).value, sma(marks, 3).at(-1));
  c.send({
    op: 'subscribe',
    channel: 'indicators',
    symbol: 'MES',
    indicator: 'macd',
    params: { fast: 2, slow: 3, signal: 2 },
  });
  const macdAck = await c.next(op('subscribed'));
  await c.next(indicatorOf(macdAck.id as string));
  for (const p of ['5010', '5020']) {
    marks.push(await mark(p));
    const u = await c.next((m) => indicatorOf('s3')(m) && (m.data as { value: number }).value === sma(marks, 3).at(-1));
    assert.equal(u.symbol, 'MES');
    assert.deepEqual(u.params, { period: 3 });
  }
  const m = await c.next(
    (x) =>
      indicatorOf(macdAck.id as string)(x) &&
      JSON.stringify((x.data as { value: unknown }).value) === JSON.stringify(macd(marks, 2, 3, 2).at(-1)),
  );
  assert.equal(m.indicator, 'macd');
  // Unsubscribed: no more updates of it.
  c.send({ op: 'unsubscribe', channel: 'indicators', id: 's3' });
  await c.next(op('unsubscribed'));
  await mark('5030');
  await c.next(indicatorOf(macdAck.id as string));
  assert.ok(!c.messages.slice(-3).some(indicatorOf('s3')));
});

test('bad indicator subscriptions are errors naming the field', async () => {
  const c = await client(f.k.viewer);
  const cases: [Record<string, unknown>, string][] = [
    [{ symbol: 'MES', indicator: 'vwap' }, 'indicator'],
    [{ symbol: 'MES', indicator: 'sma', params: { period: 0 } }, 'params.period'],
    [{ symbol: 'MES', indicator: 'sma', params: { fast: 3 } }, 'params.fast'],
    [{ symbol: '', indicator: 'sma' }, 'symbol'],
  ];
  for (const [sub, field] of cases) {
    c.send({ op: 'subscribe', channel: 'indicators', ...sub });
    const e = await c.next(op('error'));
    assert.equal(e.code, 'ERR_INPUT_INVALID');
    assert.ok(String(e.message).startsWith(field), `${field}: ${String(e.message)}`);
  }
  c.send({ op: 'subscribe', channel: 'bars' });
  assert.match(String((await c.next(op('error'))).message), /^channel/);
});

test('label changes reach those who may see them, and only them', async () => {
  const trader = await client(f.k.trader);
  const viewer = await client(f.k.viewer);
  const other = await client(f.k.trader2);
  trader.send({ op: 'subscribe', channel: 'labels' });
  viewer.send({ op: 'subscribe', channel: 'labels', symbol: 'MES' });
  other.send({ op: 'subscribe', channel: 'labels' });
  for (const c of [trader, viewer, other]) assert.equal((await c.next(op('subscribed'))).channel, 'labels');
  const body = { symbol: 'MES', time: '2026-04-07T13:31:00Z', text: 'A1 note', account: 'A1' };
  const created = (await f.call('POST', '/api/v1/labels', f.k.trader, body)).json();
  const isLabel = (event: string) => (m: WsMessage) =>
    m.op === undefined && m.channel === 'labels' && (m.data as { event: string }).event === event;
  for (const c of [trader, viewer]) {
    const m = await c.next(isLabel('created'));
    assert.equal((m.data as { label: { id: string } }).label.id, created.id);
  }
  await f.call('PUT', `/api/v1/labels/${created.id}`, f.k.trader, { ...body, account: undefined, text: 'moved' });
  assert.equal(((await viewer.next(isLabel('updated'))).data as { label: { text: string } }).label.text, 'moved');
  await f.call('DELETE', `/api/v1/labels/${created.id}`, f.k.trader);
  assert.equal(((await trader.next(isLabel('deleted'))).data as { label: { id: string } }).label.id, created.id);
  // The other trader's first label message is its own account's: nothing of A1 came before it.
  const own = (await f.call('POST', '/api/v1/labels', f.k.trader2, { ...body, account: 'A2', text: 'A2 note' })).json();
  const first = await other.next((m) => m.op === undefined && m.channel === 'labels');
  assert.equal((first.data as { label: { id: string } }).label.id, own.id);
  // A symbol filter holds: an ES label does not reach the MES subscriber.
  await f.call('POST', '/api/v1/labels', f.k.trader, { ...body, symbol: 'ES', text: 'ES' });
  const next = await trader.next(isLabel('created'));
  assert.equal((next.data as { label: { symbol: string } }).label.symbol, 'ES');
  await new Promise((r) => setTimeout(r, 100));
  assert.ok(
    !viewer.messages.some(
      (m) =>
        m.op === undefined && m.channel === 'labels' && (m.data as { label: { symbol: string } }).label.symbol === 'ES',
    ),
  );
});
