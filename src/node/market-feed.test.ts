import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { formatFixed, fromInt } from '../domain/money.ts';
import type { Quote } from '../adapters/broker.ts';
import { PaperBroker } from '../adapters/paper/index.ts';
import { MarketFeed, ticksFromBars, ticksFromEventLog } from './market-feed.ts';

const csvPath = fileURLToPath(new URL('../../data-bundled/sp500-2000.csv', import.meta.url));
const demoPath = fileURLToPath(new URL('../../examples/demo/events.ndjson', import.meta.url));

/** Expected quotes computed independently of the code under test: nearest 0.25 tick of the close. */
function expectedCloses(n: number): string[] {
  const rows = readFileSync(csvPath, 'utf8')
    .trim()
    .split('\n')
    .slice(1, n + 1);
  return rows.map((r) => (Math.round(Number(r.split(',')[4]) / 0.25) * 0.25).toFixed(2).replace(/\.?0+$/, ''));
}

test('bundled S&P closes are fed as MES quotes on the tick grid, stamped with the injected clock', () => {
  const fed: Quote[] = [];
  let now = Date.parse('2026-04-07T14:00:00.000Z');
  const feed = new MarketFeed({
    broker: { feedQuote: (q) => fed.push(q) },
    ticks: ticksFromBars(csvPath),
    symbols: ['MES'],
    now: () => now,
  });
  for (let i = 0; i < 5; i++) {
    feed.step();
    now += 1000;
  }
  assert.deepEqual(
    fed.map((q) => formatFixed(q.last!)),
    expectedCloses(5),
  );
  assert.deepEqual(
    fed.map((q) => formatFixed(q.ask! - q.bid!)),
    ['0.25', '0.25', '0.25', '0.25', '0.25'],
  );
  assert.deepEqual(
    fed.map((q) => q.ts - Date.parse('2026-04-07T14:00:00.000Z')),
    [0, 1000, 2000, 3000, 4000],
  );
});

test('the paper broker fills a market buy at the fed ask', async () => {
  const paper = new PaperBroker({ accounts: [{ id: 'A1', balance: fromInt(50000) }] });
  await paper.connect();
  const feed = new MarketFeed({ broker: paper, ticks: ticksFromBars(csvPath), symbols: ['MES'], now: () => 1_000 });
  const [q] = feed.step()!;
  await paper.placeOrder({
    account: 'A1',
    clientOrderId: 'c1',
    symbol: 'MES',
    side: 'buy',
    qty: fromInt(1),
    type: 'market',
  });
  const [fill] = await paper.getFills('A1');
  assert.equal(formatFixed(fill!.price), formatFixed(q!.ask!));
});

test('start() drives step() on the injected timer; stop() cancels; a non-looping feed ends', () => {
  const fed: Quote[] = [];
  let tickFn: (() => void) | undefined;
  let cancelled = false;
  const feed = new MarketFeed({
    broker: { feedQuote: (q) => fed.push(q) },
    ticks: ticksFromBars(csvPath).slice(0, 3),
    symbols: ['ES'],
    now: () => 0,
    loop: false,
    intervalMs: 250,
    schedule: (fn, ms) => {
      assert.equal(ms, 250);
      tickFn = fn;
      return () => (cancelled = true);
    },
  });
  feed.start();
  assert.equal(feed.running, true);
  for (let i = 0; i < 4; i++) tickFn!();
  assert.equal(fed.length, 3);
  assert.equal(cancelled, true, 'the feed stopped itself at the end');
  assert.equal(feed.running, false);
});

test('intrabar mode walks open → low/high → close; event-log quotes keep their symbols', () => {
  const four = ticksFromBars(csvPath, { intrabar: true })
    .slice(0, 4)
    .map((t) => formatFixed(t.price!));
  // 2000-01-03 is a down bar (close < open): open → high → low → close.
  assert.deepEqual(four, ['1469.25', '1478', '1438.359985', '1455.219971']);
  const demo = ticksFromEventLog(demoPath);
  const firstQuote = readFileSync(demoPath, 'utf8')
    .split('\n')
    .map((l) => JSON.parse(l || '{}') as { type?: string; symbol?: string; last?: string })
    .find((e) => e.type === 'quote')!;
  assert.equal(demo[0]!.symbol, firstQuote.symbol);
  assert.equal(formatFixed(demo[0]!.price!), firstQuote.last);
});
