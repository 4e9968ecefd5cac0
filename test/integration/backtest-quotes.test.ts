/**
 * Quote-driven backtests (DESIGN §5 "strategies get bars/quotes"): `riskgate backtest --data`
 * with an NDJSON event log of quotes or a DBN file of a quote schema. Given quotes, when sma-cross
 * trades on their marks, then the CLI's trades equal the library's, fills are at quote prices,
 * and the risk rules close positions between quotes.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateConfigText } from '../../src/config/load.ts';
import type { RawConfig } from '../../src/config/schema.ts';
import { parseFixed } from '../../src/domain/money.ts';
import { runQuoteBacktest } from '../../src/backtest/engine.ts';
import { loadQuotes } from '../../src/backtest/quotes-file.ts';
import { jsonReport } from '../../src/backtest/report-json.ts';
import { smaCross } from '../../src/backtest/strategies/sma-cross.ts';
import { repo, riskgate } from '../fixtures/cli.ts';

/** Quotes a minute apart: a slow wave (±20 points every 120 quotes) with noise of up to ±5 points. */
function quoteLines(n: number, symbol = 'MNQ', start = '2026-03-02T14:00:00.000Z'): string[] {
  const out: string[] = [
    JSON.stringify({ ts: '2026-03-02T14:00:00.000Z', type: 'account', account: 'X', canTrade: true }),
  ];
  let seed = 11;
  for (let i = 0; i < n; i++) {
    seed = (seed * 16807) % 2147483647;
    const ticks = Math.round(80 * Math.sin((2 * Math.PI * i) / 120)) + (seed % 41) - 20;
    const mid = 18000 + ticks * 0.25;
    const ts = new Date(Date.parse(start) + i * 60_000).toISOString();
    out.push(
      JSON.stringify({
        ts,
        type: 'quote',
        symbol,
        bid: (mid - 0.25).toFixed(2),
        ask: mid.toFixed(2),
        last: mid.toFixed(2),
      }),
    );
  }
  return out;
}

const sma = (period: string) => smaCross.create({ period, qty: '1', decideOnFillBar: 'false' });

describe('quote-driven backtests', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rg-btq-'));
    file = join(dir, 'mnq-quotes.ndjson');
    writeFileSync(file, quoteLines(600).join('\n') + '\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the CLI trades sma-cross on an NDJSON event log of quotes, as the library does', async () => {
    const r = await riskgate([
      'backtest',
      '--data',
      file,
      '--strategy',
      'sma-cross',
      '--param',
      'period=10',
      '--report',
      'json',
      '--no-progress',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      trades: Array<{ symbol: string; entryTime: string; entryPrice: string; exitTime: string }>;
      bars: number;
    };
    assert.equal(out.bars, 600, 'every quote is a data point; the account event is skipped');
    assert.ok(out.trades.length >= 4, `trades: ${out.trades.length}`);
    assert.ok(out.trades.every((t) => t.symbol === 'MNQ'));
    // Market buys fill at a quote's ask, on a quote after the one that decided.
    const { quotes } = await loadQuotes(file);
    const asks = new Map(quotes.map((q) => [new Date(q.ts).toISOString(), q.ask]));
    for (const t of out.trades)
      assert.equal(parseFixed(t.entryPrice), asks.get(t.entryTime), `entry at the ask of ${t.entryTime}`);
    const lib = runQuoteBacktest(quotes, sma('10'), { symbol: 'MNQ', strategyName: 'sma-cross' });
    assert.deepEqual(JSON.parse(jsonReport(lib)), out);
  });

  it('risk rules act between quotes: RULE-004 closes a losing position on the quote after the breach', async () => {
    const { quotes } = await loadQuotes(file);
    const free = runQuoteBacktest(quotes, sma('10'), { symbol: 'MNQ' });
    const { config } = validateConfigText('risk:\n  rules:\n    RULE-004: { limit: "5" }\n');
    const ruled = runQuoteBacktest(quotes, sma('10'), { symbol: 'MNQ', config: config as RawConfig });
    assert.ok(ruled.enforcements > 0);
    assert.ok(ruled.breaches.length > 0 && ruled.breaches.every((b) => b.rule === 'RULE-004' && b.symbol === 'MNQ'));
    assert.notDeepEqual(ruled.trades, free.trades);
    // Each long trade ends no later than the quote after the first mark at which its unrealized
    // loss passed 5 USD (MNQ: 2 USD a point): the close is a market order filled on the next quote.
    let checked = 0;
    for (const t of ruled.trades) {
      const entry = Date.parse(t.entryTime);
      const exit = Date.parse(t.exitTime);
      const k = quotes.findIndex((q) => q.ts > entry && (q.last! - parseFixed(t.entryPrice)) * 2n < -parseFixed('5'));
      if (k === -1 || k + 1 >= quotes.length) continue;
      checked++;
      assert.ok(
        exit <= quotes[k + 1]!.ts,
        `trade entered ${t.entryTime} exits ${t.exitTime}, breach at ${new Date(quotes[k]!.ts).toISOString()}`,
      );
    }
    assert.ok(checked >= 5, `trades checked: ${checked}`);
  });

  it('DBN quote schemas are quote data; a bar-only strategy or a missing --symbol is a clear error', async () => {
    const dbn = join(repo, '../shared/data/dbn/test_data.mbp-1.dbn');
    const ok = await riskgate([
      'backtest',
      '--data',
      dbn,
      '--strategy',
      'sma-cross',
      '--param',
      'period=2',
      '--report',
      'json',
      '--no-progress',
    ]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal((JSON.parse(ok.stdout) as { bars: number }).bars, 2);
    const orb = await riskgate(['backtest', '--data', dbn, '--strategy', 'orb', '--no-progress']);
    assert.equal(orb.code, 1);
    assert.match(orb.stderr, /ERR_BACKTEST_INPUT: strategy orb has no onQuote/);
    const two = join(dir, 'two.ndjson');
    writeFileSync(
      two,
      [...quoteLines(3, 'MNQ'), ...quoteLines(3, 'ES', '2026-03-02T15:00:00.000Z').slice(1)].join('\n'),
    );
    const many = await riskgate(['backtest', '--data', two, '--strategy', 'sma-cross', '--no-progress']);
    assert.equal(many.code, 1);
    assert.match(many.stderr, /quotes of several symbols \(ES, MNQ\): pick one with --symbol/);
  });
});
