/** `riskgate backtest --data a.csv b.csv | dir/`: one account trading several instruments. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo, riskgate } from '../fixtures/cli.ts';

describe('riskgate backtest with several instruments (CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rg-btm-'));
    const rows = readFileSync(join(repo, 'data-bundled/sp500-2000.csv'), 'utf8').trim().split('\n');
    mkdirSync(join(dir, 'set'));
    writeFileSync(join(dir, 'set', 'aaa.csv'), `${rows.slice(0, 2001).join('\n')}\n`);
    writeFileSync(join(dir, 'set', 'bbb.csv'), `${[rows[0], ...rows.slice(1500)].join('\n')}\n`);
    writeFileSync(join(dir, 'set', 'notes.txt'), 'not bars');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a directory runs every bar file in it on one account; per-symbol and account stats', async () => {
    const r = await riskgate(['backtest', '--data', join(dir, 'set'), '--strategy', 'sma-cross', '--report', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      symbols: Record<string, { bars: number; stats: { netPnl: string; trades: number } }>;
      stats: { netPnl: string; trades: number };
      bars: number;
      trades: { symbol: string }[];
    };
    assert.deepEqual(Object.keys(out), ['trades', 'symbols', 'stats', 'bars']);
    assert.deepEqual(Object.keys(out.symbols), ['AAA', 'BBB']);
    assert.equal(out.symbols.AAA?.bars, 2000);
    assert.equal(out.symbols.BBB?.bars, 3606);
    assert.equal(out.bars, 5105);
    const sum = Number(out.symbols.AAA?.stats.netPnl) + Number(out.symbols.BBB?.stats.netPnl);
    assert.ok(Math.abs(sum - Number(out.stats.netPnl)) < 1e-6);
    assert.equal(out.stats.trades, (out.symbols.AAA?.stats.trades ?? 0) + (out.symbols.BBB?.stats.trades ?? 0));
    // The same as the two files named one by one.
    const files = await riskgate([
      'backtest',
      '--data',
      join(dir, 'set', 'aaa.csv'),
      join(dir, 'set', 'bbb.csv'),
      '--strategy',
      'sma-cross',
      '--report',
      'json',
    ]);
    assert.equal(files.stdout, r.stdout);
    // AAA alone: its per-symbol P&L is the single-instrument backtest's.
    const alone = await riskgate([
      'backtest',
      '--data',
      join(dir, 'set', 'aaa.csv'),
      '--strategy',
      'sma-cross',
      '--report',
      'json',
    ]);
    assert.equal(
      (JSON.parse(alone.stdout) as { stats: { netPnl: string } }).stats.netPnl,
      out.symbols.AAA?.stats.netPnl,
    );
  });

  it('the text report lists the symbols; --symbol with several files is an error', async () => {
    const r = await riskgate(['backtest', '--data', join(dir, 'set'), '--strategy', 'sma-cross']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /on AAA,BBB/);
    assert.match(r.stdout, /^AAA\s+2000\s/m);
    const html = join(dir, 'multi.html');
    const h = await riskgate(['backtest', '--data', join(dir, 'set'), '--strategy', 'sma-cross', '--html', html]);
    assert.equal(h.code, 0, h.stderr);
    assert.match(readFileSync(html, 'utf8'), /<h2>Symbols<\/h2>[\s\S]*<tr><td>AAA<\/td><td>2000<\/td>/);
    const bad = await riskgate(['backtest', '--data', join(dir, 'set'), '--symbol', 'X', '--strategy', 'sma-cross']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /ERR_BACKTEST_INPUT.*--symbol/);
  });

  it("--symbol A,B or '*' runs several symbols of a quote file on one account", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 120; i++)
      for (const [symbol, base] of [
        ['MNQ', 18000],
        ['ES', 5000],
      ] as const) {
        const mid = base + Math.round(20 * Math.sin(i / 9)) * 0.25;
        const ts = new Date(Date.parse('2026-03-02T14:00:00.000Z') + i * 60_000).toISOString();
        lines.push(JSON.stringify({ ts, type: 'quote', symbol, bid: (mid - 0.25).toFixed(2), ask: mid.toFixed(2) }));
      }
    const file = join(dir, 'two.ndjson');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const run = (symbol: string) =>
      riskgate([
        'backtest',
        '--data',
        file,
        '--symbol',
        symbol,
        '--strategy',
        'sma-cross',
        '--param',
        'period=5',
        '--report',
        'json',
      ]);
    const all = await run('*');
    assert.equal(all.code, 0, all.stderr);
    const out = JSON.parse(all.stdout) as {
      symbols: Record<string, { bars: number }>;
      bars: number;
      stats: { trades: number };
    };
    assert.deepEqual(Object.keys(out.symbols), ['ES', 'MNQ']);
    assert.equal(out.bars, 240);
    assert.equal(out.symbols.MNQ?.bars, 120);
    assert.ok(out.stats.trades > 0);
    assert.equal((await run('ES,MNQ')).stdout, all.stdout);
    const missing = await run('ES,NQ');
    assert.match(missing.stderr, /no quotes for --symbol NQ \(the data has ES, MNQ\)/);
  });
});
