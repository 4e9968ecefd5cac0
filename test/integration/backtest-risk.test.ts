/**
 * Backtests "with the same rules" (DESIGN §5): the risk engine built from a riskgate config runs
 * inside the backtest. Given real bars and a config, when a rule fires, then the trades differ from
 * the run without config, and the rejections / breaches are reported.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateConfigText } from '../../src/config/load.ts';
import type { RawConfig } from '../../src/config/schema.ts';
import { fromInt, parseFixed } from '../../src/domain/money.ts';
import { loadBars } from '../../src/backtest/bars-file.ts';
import { runBacktest } from '../../src/backtest/engine.ts';
import { jsonReport } from '../../src/backtest/report-json.ts';
import { htmlReport } from '../../src/backtest/report-html.ts';
import { textReport } from '../../src/backtest/report-text.ts';
import { smaCross } from '../../src/backtest/strategies/sma-cross.ts';
import { makeBar, type Bar, type Strategy } from '../../src/backtest/types.ts';
import type { Order } from '../../src/adapters/broker.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const shared = (p: string) => path.resolve(repoRoot, '../shared/data', p);
const ltc = loadBars(shared('bars/intraday/LTC_USDT_2d_1m_1606066988989.json'));
const sp500 = loadBars(path.resolve(repoRoot, 'data-bundled/sp500-2000.csv'));

function config(yaml: string): RawConfig {
  const { config: c, problems } = validateConfigText(yaml);
  assert.deepEqual(problems, []);
  return c as RawConfig;
}

const sma = (period: string, qty = '1') => smaCross.create({ period, qty, decideOnFillBar: 'false' });

describe('backtest with the risk engine', () => {
  it('RULE-003 (daily realized loss) locks the account for the rest of the day: fewer trades', () => {
    const opts = { symbol: 'LTCUSDT', params: {} };
    const free = runBacktest(ltc, sma('10'), opts);
    const cfg = config('timezone: UTC\nresetTime: "00:00"\nrisk:\n  rules:\n    RULE-003: { limit: "0.5" }\n');
    const ruled = runBacktest(ltc, sma('10'), { ...opts, config: cfg });
    assert.ok(ruled.trades.length < free.trades.length, `${ruled.trades.length} vs ${free.trades.length}`);
    assert.equal(ruled.breaches[0]?.rule, 'RULE-003');
    const breach = ruled.breaches[0];
    assert.ok(breach);
    // No entry after the breach on its trading day; trading resumes after the reset.
    const lockedUntil = Date.parse(breach.until ?? '');
    const breachT = Date.parse(breach.ts);
    assert.ok(ruled.trades.every((t) => Date.parse(t.entryTime) <= breachT || Date.parse(t.entryTime) >= lockedUntil));
    assert.ok(ruled.rejections.length > 0);
    assert.ok(ruled.rejections.every((r) => r.rule === 'RULE-003' && Date.parse(r.ts) >= breachT));
    // The day's net realized loss went past the limit (that is what fired), by at most one trade.
    const day = breach.day;
    const dayPnl = ruled.trades.filter((t) => t.exitTime.startsWith(day)).reduce((a, t) => a + parseFixed(t.pnl), 0n);
    assert.ok(dayPnl < -parseFixed('0.5'));
    // Same day without rules: trading went on after that point.
    assert.ok(free.trades.some((t) => Date.parse(t.entryTime) > breachT && Date.parse(t.entryTime) < lockedUntil));
    const json = JSON.parse(jsonReport(ruled)) as Record<string, unknown>;
    assert.deepEqual(Object.keys(json), ['trades', 'rejections', 'breaches', 'stats', 'bars']);
    assert.deepEqual(Object.keys((json.rejections as object[])[0] ?? {}), ['rule', 'ts', 'orderId', 'reason']);
    assert.deepEqual(json.breaches, ruled.breaches);
    assert.match(textReport(ruled), new RegExp(`${breach.day} {2}RULE-003 close_all at ${breach.ts}`));
    assert.match(htmlReport(ruled), new RegExp(`<td>${breach.day}</td><td>RULE-003</td><td>close_all</td>`));
    // Without a config the JSON keeps exactly the DESIGN §5 keys.
    assert.deepEqual(Object.keys(JSON.parse(jsonReport(free)) as object), ['trades', 'stats', 'bars']);
  });

  it('RULE-001 (max contracts) rejects entries above the limit: no trades at qty 2, the same trades at qty 1', () => {
    const cfg = config('risk:\n  rules:\n    RULE-001: { limit: 1 }\n');
    const free = runBacktest(sp500, sma('30', '2'), { symbol: 'SPX' });
    const two = runBacktest(sp500, sma('30', '2'), { symbol: 'SPX', config: cfg });
    assert.equal(free.trades.length, 207);
    assert.equal(two.trades.length, 0);
    assert.ok(two.rejections.length > 0 && two.rejections.every((r) => r.rule === 'RULE-001'));
    const one = runBacktest(sp500, sma('30', '1'), { symbol: 'SPX', config: cfg });
    assert.deepEqual(one.trades, runBacktest(sp500, sma('30', '1'), { symbol: 'SPX' }).trades);
    assert.equal(one.rejections.length, 0);
  });

  it('a close_position decision (RULE-004) becomes a reduce-only market order filled at the next open', () => {
    const day = (i: number) => Date.UTC(2026, 0, 5, 15, i);
    const closes = ['100', '99', '97', '96', '95', '94'];
    const bars: Bar[] = closes.map((c, i) =>
      makeBar(
        day(i),
        parseFixed(c) + fromInt(1),
        parseFixed(c) + fromInt(2),
        parseFixed(c) - fromInt(1),
        parseFixed(c),
      ),
    );
    const hold: Strategy = {
      onBar(_b, ctx) {
        if (ctx.index === 0) ctx.buy(1); // fills at bar 1's open (100); never sells itself
      },
    };
    const cfg = config('risk:\n  rules:\n    RULE-004: { limit: "2.5" }\n');
    const r = runBacktest(bars, hold, { symbol: 'X', config: cfg });
    // Bar 2 closes at 97: unrealized −3 < −2.5 → close_position; the sell fills at bar 3's open (97).
    assert.equal(r.breaches[0]?.rule, 'RULE-004');
    assert.equal(r.enforcements, 1);
    assert.deepEqual(
      r.trades.map((t) => [t.entryPrice, t.exitPrice, t.exitTime]),
      [['100', '97', new Date(day(3)).toISOString()]],
    );
    const free = runBacktest(bars, hold, { symbol: 'X' });
    assert.equal(free.trades[0]?.exitPrice, '94'); // held to the end without the rule
  });

  it('RULE-012 moves the working stop to breakeven between bars; the stop then fills there', () => {
    const t = (i: number) => Date.UTC(2026, 0, 5, 15, i);
    const ohlc: [string, string, string, string][] = [
      ['5000', '5001', '4999', '5000'],
      ['5000', '5002', '4998', '5001'], // entry fills at this open
      ['5005', '5012', '5004', '5010'], // close 10 points up: breakeven (8 ticks) reached
      ['5008', '5009', '4985', '4986'], // falls through 5000 and 4990
      ['4986', '4987', '4980', '4981'],
    ];
    const bars: Bar[] = ohlc.map(([o, h, l, c], i) =>
      makeBar(t(i), parseFixed(o), parseFixed(h), parseFixed(l), parseFixed(c)),
    );
    const protectedLong = (): Strategy => ({
      onBar(_b, ctx) {
        if (ctx.index === 0) ctx.buy(1);
        if (ctx.index === 1) ctx.submit({ side: 'sell', type: 'stop', qty: 1, stopPrice: parseFixed('4990') });
      },
    });
    const free = runBacktest(bars, protectedLong(), { symbol: 'ES' });
    assert.deepEqual(
      free.trades.map((x) => [x.entryPrice, x.exitPrice]),
      [['5000', '4990']],
    );
    const cfg = config('risk:\n  rules:\n    RULE-012: { breakevenAfterTicks: 8 }\n');
    const ruled = runBacktest(bars, protectedLong(), { symbol: 'ES', config: cfg });
    assert.deepEqual(
      ruled.trades.map((x) => [x.entryPrice, x.exitPrice, x.exitTime]),
      [['5000', '5000', new Date(t(3)).toISOString()]],
    );
    assert.equal(ruled.trades[0]?.pnl, '0');
    assert.equal(ruled.enforcements, 0, 'a stop move places no order');
  });

  it('exits are never rejected, even during a cooldown that rejects entries (RULE-007)', () => {
    const t = (i: number) => Date.UTC(2026, 0, 5, 15, i);
    const placed: Order[] = [];
    const loser: Strategy = {
      onBar(_b, ctx) {
        if (ctx.index === 0) placed.push(ctx.buy(2)); // fills at bar 1's open
        if (ctx.index === 1) placed.push(ctx.sell(1)); // fills at bar 2's open
        if (ctx.index === 2) {
          placed.push(ctx.buy(1)); // opening during the cooldown: rejected
          placed.push(ctx.sell(1)); // an exit (not even reduce-only): never rejected
        }
      },
    };
    const lossBars: Bar[] = ['100', '100', '90', '90', '90'].map((c, i) =>
      makeBar(t(i), parseFixed(c), parseFixed(c) + fromInt(1), parseFixed(c) - fromInt(1), parseFixed(c)),
    );
    const cfg = config('risk:\n  rules:\n    RULE-007: { tiers: [ { loss: "5", cooldown: "30m" } ] }\n');
    const r = runBacktest(lossBars, loser, { symbol: 'X', config: cfg });
    const [entry, partialExit, reentry, exit] = placed;
    assert.equal(entry?.status, 'filled');
    assert.equal(partialExit?.status, 'filled');
    assert.equal(reentry?.status, 'rejected');
    assert.notEqual(exit?.status, 'rejected');
    assert.equal(exit?.status, 'filled');
    assert.deepEqual(
      r.rejections.map((x) => [x.rule, x.orderId]),
      [['RULE-007', reentry?.orderId]],
    );
    assert.equal(r.trades.length, 2); // both lots closed by the strategy's own exits
  });
});
