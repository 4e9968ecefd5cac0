/** `riskgate backtest` end to end: the real CLI on the bundled data, reports and output files. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo, riskgate } from '../fixtures/cli.ts';
import { readPng } from '../fixtures/png.ts';

describe('riskgate backtest (CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rg-bt-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('defaults to the bundled S&P 500 bars and prints the DESIGN §5 JSON', async () => {
    const r = await riskgate(['backtest', '--strategy', 'sma-cross', '--report', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      trades: Array<Record<string, unknown>>;
      stats: Record<string, unknown>;
      bars: number;
    };
    assert.deepEqual(Object.keys(out), ['trades', 'stats', 'bars']);
    assert.equal(out.bars, 5105);
    assert.deepEqual(Object.keys(out.stats), [
      'trades',
      'netPnl',
      'totalReturnPct',
      'maxDrawdownPct',
      'sharpe',
      'sortino',
      'winRate',
      'profitFactor',
      'exposurePct',
      'cagrPct',
    ]);
    assert.equal(out.stats.trades, out.trades.length);
    const t = out.trades[0] ?? {};
    assert.deepEqual(Object.keys(t), [
      'symbol',
      'side',
      'qty',
      'entryTime',
      'entryPrice',
      'exitTime',
      'exitPrice',
      'pnl',
    ]);
    assert.match(String(t.entryTime), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const k of ['entryPrice', 'exitPrice', 'pnl']) assert.match(String(t[k]), /^-?\d+(\.\d+)?$/);
    assert.equal(typeof out.stats.netPnl, 'string');
    // Σ trade pnl = netPnl exactly (no fees): add the decimal strings as bigints of 1e-6
    const micro = (s: string) => BigInt(Math.round(Number(s) * 1e6));
    assert.equal(
      out.trades.reduce((a, x) => a + micro(String(x.pnl)), 0n),
      micro(String(out.stats.netPnl)),
    );
  });

  it('params change the run; the text report names strategy and stats', async () => {
    const r = await riskgate([
      'backtest',
      '--strategy',
      'sma-cross',
      '--param',
      'period=10',
      '--report',
      'text',
      '--capital',
      '50000',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /sma-cross \(period=10, qty=1, decideOnFillBar=false, stop=0\)/);
    assert.match(r.stdout, /capital\s+50000/);
    assert.match(r.stdout, /max drawdown\s+\d+\.\d\d%/);
  });

  it('loads a strategy file, writes a self-contained HTML report and an equity PNG', async () => {
    const html = join(dir, 'report.html');
    const png = join(dir, 'equity.png');
    const r = await riskgate(
      [
        'backtest',
        '--strategy',
        'strategies/buy-and-hold.ts',
        '--param',
        'qty=2',
        '--report',
        'json',
        '--html',
        html,
        '--png',
        png,
      ],
      { RISKGATE_PNG_RENDERER: 'svg' },
    );
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { trades: Array<{ entryPrice: string; exitPrice: string; pnl: string }> };
    // Bought 2 at the second bar's open, sold at the last close (both from the CSV itself).
    const rows = readFileSync(join(repo, 'data-bundled/sp500-2000.csv'), 'utf8').trim().split('\n');
    const open2 = rows[2]?.split(',')[1] ?? '';
    const lastClose = rows[rows.length - 1]?.split(',')[4] ?? '';
    assert.equal(Number(out.trades[0]?.entryPrice), Number(open2));
    assert.equal(Number(out.trades[0]?.exitPrice), Number(lastClose));
    assert.equal(out.trades[0]?.pnl, '2838.680176');

    const page = readFileSync(html, 'utf8');
    assert.match(page, /buy-and-hold/);
    // The charts' data and script are in the page; nothing is loaded from elsewhere.
    const data = JSON.parse(
      /<script type="application\/json" id="rg-report-data">(.*?)<\/script>/.exec(page)?.[1] ?? '{}',
    );
    const [price, equity] = data.charts;
    assert.equal(price.kind, 'price');
    assert.deepEqual(
      price.data.marks.map((m: { action: string }) => m.action),
      ['buy', 'sell'],
    );
    assert.equal(equity.kind, 'equity');
    assert.equal(equity.data.points[0].value, 10000);
    assert.equal(equity.data.benchmark[0].value, 10000, 'buy and hold starts at the capital');
    assert.match(page, /<div id="chart-equity" class="chart-area"><\/div>/);
    assert.match(page, /<script>[\s\S]{10000,}?<\/script>/, 'the chart script, inline');
    assert.doesNotMatch(page, /<link|<script[^>]*\ssrc=|<img|@import/i);
    assert.match(page, /<table class="months">[\s\S]*<tr><td>2000<\/td>/);
    assert.match(r.stderr, /wrote .*equity\.png \(SVG chart\)/);

    const info = readPng(readFileSync(png));
    assert.equal(info.width, 1000);
    assert.equal(info.height, 600);
    assert.ok(new Set(info.raw).size > 20, 'not a blank picture');
  });

  it('takes the instrument from --config, JSON candles as data, fees and slippage', async () => {
    const cfg = join(dir, 'riskgate.yaml');
    writeFileSync(cfg, 'instruments:\n  - { symbol: URTH, tickSize: "0.01", tickValue: "0.50", currency: USD }\n');
    const data = join(repo, '../shared/data/bars/intraday/urth-2025-1h.json');
    const base = [
      'backtest',
      '--data',
      data,
      '--symbol',
      'URTH',
      '--strategy',
      'orb',
      '--param',
      'rangeMinutes=60',
      '--report',
      'json',
    ];
    const plain = JSON.parse((await riskgate(base)).stdout) as {
      trades: Array<{ entryPrice: string; exitPrice: string; side: string; pnl: string }>;
      bars: number;
    };
    const withCfg = await riskgate([...base, '--config', cfg, '--fee', '0.25']);
    assert.equal(withCfg.code, 0, withCfg.stderr);
    const out = JSON.parse(withCfg.stdout) as typeof plain;
    assert.equal(out.bars, 1549);
    assert.ok(out.trades.length > 50);
    // Same trades; P&L scaled by the point value 50 (0.50 / 0.01) and net of 2 × 0.25 fees.
    assert.equal(out.trades.length, plain.trades.length);
    out.trades.forEach((t, i) => {
      const p = plain.trades[i];
      assert.ok(p);
      const sign = t.side === 'long' ? 1 : -1;
      const expected = sign * (Number(t.exitPrice) - Number(t.entryPrice)) * 50 - 0.5;
      assert.ok(Math.abs(Number(t.pnl) - expected) < 1e-9, `trade ${i}: ${t.pnl} vs ${expected}`);
      assert.equal(t.entryPrice, p.entryPrice);
    });
  });

  it("reads DBN OHLCV bars (symbol from the metadata) and runs the config's rules", async () => {
    const data = '../shared/data/dbn/databento-python/GLBX.MDP3/test_data.ohlcv-1m.dbn.zst';
    const plain = await riskgate([
      'backtest',
      '--strategy',
      'sma-cross',
      '--param',
      'period=2',
      '--data',
      data,
      '--report',
      'json',
    ]);
    assert.equal(plain.code, 0, plain.stderr);
    const out = JSON.parse(plain.stdout) as { trades: Array<{ symbol: string; entryPrice: string }>; bars: number };
    assert.equal(out.bars, 4);
    assert.equal(out.trades[0]?.symbol, 'ESH1');
    assert.match(out.trades[0]?.entryPrice ?? '', /^\d+(\.\d+)?$/);
    const cfg = join(dir, 'rule-001.yaml');
    writeFileSync(cfg, 'risk:\n  rules:\n    RULE-001: { limit: 1 }\n');
    const ruled = await riskgate([
      'backtest',
      '--strategy',
      'sma-cross',
      '--param',
      'period=2',
      '--param',
      'qty=2',
      '--data',
      data,
      '--config',
      cfg,
      '--report',
      'json',
    ]);
    assert.equal(ruled.code, 0, ruled.stderr);
    const r = JSON.parse(ruled.stdout) as {
      trades: unknown[];
      rejections: Array<{ rule: string }>;
      breaches: unknown[];
    };
    assert.deepEqual(r.trades, []);
    assert.ok(r.rejections.length > 0 && r.rejections.every((x) => x.rule === 'RULE-001'));
    assert.deepEqual(r.breaches, []);
  });

  it('fails clearly on DBN input, unknown strategies and bad params', async () => {
    const dbn = await riskgate([
      'backtest',
      '--strategy',
      'sma-cross',
      '--data',
      '../shared/data/dbn/test_data.ohlcv-1d.dbn',
    ]);
    assert.equal(dbn.code, 1);
    assert.match(dbn.stderr, /ERR_BACKTEST_INPUT: .*test_data\.ohlcv-1d\.dbn: no OHLCV bars/);
    const unknown = await riskgate(['backtest', '--strategy', 'no-such-strategy']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /ERR_STRATEGY_UNKNOWN/);
    const badParam = await riskgate(['backtest', '--strategy', 'sma-cross', '--param', 'perod=3']);
    assert.match(badParam.stderr, /--param perod: strategy sma-cross has no such parameter/);
    const missing = await riskgate(['backtest', '--strategy', 'sma-cross', '--data', 'nope.csv']);
    assert.match(missing.stderr, /ERR_FILE_NOT_FOUND/);
    // A directory is several instruments' bar files (docs/backtest.md); one without any is an error.
    const folder = await riskgate(['backtest', '--strategy', 'sma-cross', '--data', dir]);
    assert.equal(folder.code, 1);
    assert.match(folder.stderr, /^riskgate: ERR_BACKTEST_INPUT: --data .*: the directory holds no bar files\n$/);
  });

  it('writes --html and --png into directories it creates', async () => {
    const html = join(dir, 'reports', 'run1', 'report.html');
    const png = join(dir, 'charts', 'equity.png');
    const r = await riskgate(['backtest', '--strategy', 'sma-cross', '--html', html, '--png', png, '--no-progress']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(readFileSync(html, 'utf8'), /id="rg-report-data"/);
    assert.equal(readPng(readFileSync(png)).width, 1000);
  });

  it('a strategy file that does not parse or throws is one error naming the file (and the bar)', async () => {
    // Inside the repository: where strategy files load today (see ERR_REQUIRE_CYCLE_MODULE, issue 13).
    const strategies = join(repo, '.tmp');
    mkdirSync(strategies, { recursive: true });
    const own = mkdtempSync(join(strategies, 'rg-strategy-'));
    try {
      const write = (name: string, text: string): string => {
        const p = join(own, name);
        writeFileSync(p, text);
        return p;
      };
      const def = (create: string) =>
        `export default { name: 'x', description: 'x', params: {}, create() { ${create} } };\n`;
      const cases: Array<[string, RegExp]> = [
        [
          write('syntax.ts', 'export default { name: "x", create( {\n'),
          /^riskgate: ERR_STRATEGY_LOAD: strategy .*syntax\.ts could not be loaded: .*syntax\.ts:\d+:\d+: ERROR: /,
        ],
        [
          write('load.ts', "throw new Error('no API key');\nexport default {};\n"),
          /^riskgate: ERR_STRATEGY_LOAD: strategy .*load\.ts could not be loaded: no API key \(at line 1, column \d+\)\n$/,
        ],
        [
          write('create.ts', def("throw new RangeError('bad period');")),
          /^riskgate: ERR_STRATEGY_FAILED: strategy .*create\.ts threw in create\(\): RangeError: bad period/,
        ],
        [
          write(
            'bar.ts',
            def('return { onBar(bar, ctx) { if (ctx.index === 40) (undefined as unknown as { x: number }).x; } };'),
          ),
          /^riskgate: ERR_STRATEGY_FAILED: strategy .*bar\.ts threw at bar 41 \(2000-03-01T00:00:00\.000Z\): TypeError: /,
        ],
      ];
      for (const [file, re] of cases) {
        const r = await riskgate(['backtest', '--strategy', file, '--no-progress']);
        assert.equal(r.code, 1, file);
        assert.match(r.stderr, re);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      }
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('the example config trades with a protective stop; without one, the report names the rejecting rule', async () => {
    const config = join(repo, 'riskgate.example.yaml');
    const bare = await riskgate(['backtest', '--strategy', 'sma-cross', '--config', config, '--no-progress']);
    assert.equal(bare.code, 0, bare.stderr);
    assert.match(bare.stdout, /^rejected orders (\d+) \(by rule: RULE-015 \1\)$/m);
    assert.match(bare.stdout, /^ {2}first at 2000-03-03T00:00:00\.000Z: RULE-015: order has no stop/m);
    const stopped = await riskgate([
      'backtest',
      '--strategy',
      'sma-cross',
      '--param',
      'stop=40',
      '--config',
      config,
      '--report',
      'json',
    ]);
    assert.equal(stopped.code, 0, stopped.stderr);
    const out = JSON.parse(stopped.stdout) as {
      trades: unknown[];
      rejections: Array<{ rule: string; reason: string }>;
      breaches: Array<{ rule: string }>;
    };
    assert.ok(out.trades.length > 100, `trades: ${out.trades.length}`);
    assert.deepEqual(out.rejections, []);
    assert.ok(
      out.breaches.some((b) => b.rule === 'RULE-009'),
      'flat at each session close',
    );
  });

  it('an account that has lost its capital stops trading, and the report says when and why', async () => {
    const text = await riskgate(['backtest', '--strategy', 'sma-cross', '--capital', '100', '--no-progress']);
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^stopped +capital lost: equity -[\d.]+ ≤ 0 at 2000-08-16T00:00:00\.000Z; position closed at [\d.]+, no new orders$/m,
    );
    const json = await riskgate(['backtest', '--strategy', 'sma-cross', '--capital', '100', '--report', 'json']);
    const out = JSON.parse(json.stdout) as {
      trades: Array<{ entryTime: string; exitTime: string }>;
      stats: { maxDrawdownPct: number };
      stopped: { ts: string; equity: string };
    };
    assert.equal(out.stopped.ts, '2000-08-16T00:00:00.000Z');
    assert.ok(Number(out.stopped.equity) <= 0);
    assert.ok(out.trades.every((t) => t.entryTime < out.stopped.ts && t.exitTime <= out.stopped.ts));
    assert.ok(out.stats.maxDrawdownPct < 105, `max drawdown ${out.stats.maxDrawdownPct}`);
  });
});
