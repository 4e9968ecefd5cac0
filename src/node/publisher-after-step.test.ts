/**
 * Given a paper node, when a fill and then quotes arrive, then the `positions` and `risk` messages
 * on the bus already include them: they are published after the engine stepped the event, not
 * before (a dashboard fed by the stream would otherwise show the account one event late).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { PaperBroker } from '../adapters/paper/index.ts';
import { configSchema } from '../config/schema.ts';
import { fromInt, parseFixed } from '../domain/money.ts';
import type { BusMessage } from './bus.ts';
import { TradingNode } from './node.ts';

type RiskData = { positions: { symbol: string; qty: number | string; unrealizedPnl: string }[] };

test('positions and risk on the bus include the fill and the quote that caused them', async (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-publisher-'));
  const paper = new PaperBroker({ accounts: [{ id: 'A1', balance: fromInt(50000) }] });
  const config = configSchema.parse(parse('paper: { accounts: [ { id: A1 } ] }\n'));
  const node = await TradingNode.build({ config, dataDir: dir, feed: false, broker: paper });
  t.after(async () => {
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const messages: BusMessage[] = [];
  node.bus.subscribe((m) => messages.push(m));
  await node.start({ feed: false });
  const quote = (bid: string) =>
    paper.feedQuote({ symbol: 'MES', ts: Date.now(), bid: parseFixed(bid), ask: parseFixed(bid) + parseFixed('0.25') });
  quote('5000');
  const r = await node.submitOrder({ account: 'A1', symbol: 'MES', side: 'buy', qty: fromInt(2), type: 'market' });
  assert.equal(r.status, 'routed');
  for (let i = 0; i < 40 && !messages.some((m) => m.channel === 'fills'); i++)
    await new Promise((r) => setTimeout(r, 25));
  const fillAt = messages.findIndex((m) => m.channel === 'fills');
  assert.ok(fillAt >= 0, 'the fill was published');
  const after = messages.slice(fillAt);
  const positions = after.find((m) => m.channel === 'positions');
  assert.deepEqual(
    (positions?.data as { positions: { symbol: string; qty: number }[] }).positions.map((p) => [p.symbol, p.qty]),
    [['MES', 2]],
    'the positions message includes the fill',
  );
  const risk = after.find((m) => m.channel === 'risk')?.data as RiskData | undefined;
  assert.deepEqual(
    risk?.positions.map((p) => [p.symbol, Number(p.qty)]),
    [['MES', 2]],
    'the risk frame after the fill includes it',
  );

  messages.length = 0;
  await new Promise((r) => setTimeout(r, 300)); // past the quote throttle
  quote('5010');
  for (let i = 0; i < 40 && !messages.some((m) => m.channel === 'risk'); i++)
    await new Promise((r) => setTimeout(r, 25));
  const marked = messages.find((m) => m.channel === 'risk')?.data as RiskData | undefined;
  // Bought 2 at 5000.25; marked at the new quote (mid 5010.125) × 5 USD a point.
  assert.equal(marked?.positions[0]?.unrealizedPnl, node.queries.risk('A1')?.positions[0]?.unrealizedPnl);
  assert.ok(Number(marked?.positions[0]?.unrealizedPnl) > 90, `marked at the new quote: ${JSON.stringify(marked)}`);
});
