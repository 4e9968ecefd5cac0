/**
 * The strategy host inside a real trading node on the paper broker: the node's quotes become
 * bars, a selection is made on schedule and published on the account's `state` channel, and the
 * active strategy's orders reach the paper broker through the risk engine (or are rejected by it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.ts';
import { fromInt, parseFixed } from '../../src/domain/money.ts';
import { PaperBroker } from '../../src/adapters/paper/index.ts';
import type { AccountMessage } from '../../src/node/bus.ts';
import { TradingNode } from '../../src/node/node.ts';

const MIN = 60_000;
const START = Date.parse('2026-03-03T15:00:00.000Z');

function config(qty: number) {
  return configSchema.parse(
    parse(`
risk:
  rules:
    RULE-001: { limit: 3 }
paper:
  accounts: [ { id: A1, balance: "50000" } ]
strategies:
  account: A1
  symbol: MES
  barInterval: 1m
  every: 5m
  candidates: ["sma-cross:period=2:qty=${qty}"]
  select:
    lookback: 6
    maxActive: 1
    minRegimeBars: 1000
    allocation: { maxWeight: 1, varBudget: 1, drawdownBudget: 1, kelly: "off" }
`),
  );
}

async function run(qty: number, minutes: number) {
  let t = START;
  const paper = new PaperBroker({ accounts: [{ id: 'A1', balance: fromInt(50000) }] });
  const node = await TradingNode.build({
    config: config(qty),
    dataDir: mkdtempSync(path.join(tmpdir(), 'rg-strategies-')),
    now: () => t,
    feed: false,
    random: () => 0.5,
    reconcileMs: 3_600_000,
    broker: paper,
  });
  const selections: AccountMessage[] = [];
  node.bus.subscribe((m) => {
    if (m.channel === 'state' && m.data.event === 'strategy_selection') selections.push(m);
  });
  await node.start();
  // A rising market with uneven steps, one quote a minute (each completes the previous bar).
  for (let i = 0; i <= minutes; i++) {
    t = START + i * MIN + 1_000;
    const px = parseFixed(String(5000 + i * 2 + (i % 3)));
    paper.feedQuote({ symbol: 'MES', ts: t, bid: px, ask: px + parseFixed('0.25'), last: px });
    for (let k = 0; k < 5; k++) await new Promise((r) => setImmediate(r));
    await node.idle();
  }
  return { node, paper, selections };
}

test('a selection on schedule is published and the active strategy trades at the paper broker', async () => {
  const { node, paper, selections } = await run(2, 12);
  try {
    // `at` is the selection bar's start: the 6th bar (15:05, closed 15:06), then the first bar to
    // close in the next 5-minute slot (15:09, closed 15:10).
    assert.deepEqual(
      selections.map((m) => m.data.at),
      ['2026-03-03T15:05:00.000Z', '2026-03-03T15:09:00.000Z'],
    );
    const first = selections[0]!.data as { active: string[]; target: string; scores: { sharpe: number }[] };
    assert.deepEqual(first.active, ['sma-cross:period=2:qty=2']);
    assert.equal(first.target, '2');
    assert.ok(first.scores[0]!.sharpe > 0);
    const venue = await paper.getPositions('A1');
    assert.equal(venue.find((p) => p.symbol === 'MES')?.qty, fromInt(2));
    const status = node.strategySelection('A1') as { target: string; orders: { status: string }[] };
    assert.equal(status.target, '2');
    assert.deepEqual(
      status.orders.map((o) => o.status),
      ['routed'],
    );
  } finally {
    await node.stop();
  }
});

test('an order the risk rules reject never reaches the broker; the host records the rule', async () => {
  const { node, paper, selections } = await run(5, 8);
  try {
    assert.equal(selections.length, 1);
    assert.equal((selections[0]!.data as { target: string }).target, '5');
    assert.equal((await paper.getPositions('A1')).length, 0);
    const status = node.strategySelection('A1') as { orders: { status: string; rules: string[] }[] };
    assert.ok(status.orders.length > 0);
    for (const o of status.orders) assert.deepEqual([o.status, o.rules], ['rejected', ['RULE-001']]);
  } finally {
    await node.stop();
  }
});
