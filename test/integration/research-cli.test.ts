/**
 * `riskgate research sweep|walkforward` end to end, on the first 600 bars of the bundled S&P 500
 * data (2000-2002) and small grids, so the whole file runs in seconds.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFixed } from '../../src/domain/money.ts';
import { repo, riskgate } from '../fixtures/cli.ts';

interface Run {
  params: Record<string, string>;
  stats: Record<string, unknown> & { netPnl: string; sharpe: number | null };
}

const STATS_KEYS = [
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
];

describe('riskgate research (CLI)', () => {
  let dir: string;
  let data: string;
  let dates: string[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rg-research-'));
    data = join(dir, 'sp600.csv');
    const lines = readFileSync(join(repo, 'data-bundled/sp500-2000.csv'), 'utf8').split('\n');
    writeFileSync(data, `${lines.slice(0, 601).join('\n')}\n`);
    dates = lines.slice(1, 601).map((l) => l.slice(0, 10));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const sweep = (...args: string[]) =>
    riskgate(['research', 'sweep', '--data', data, '--strategy', 'sma-cross', ...args]);

  it('sweep: one run per grid point in grid order, stats as `backtest` prints them, the best by the metric; the same bytes on 1 and 2 workers', async () => {
    const grid = ['--param', 'period=10..40:10', '--param', 'stop=0,20', '--report', 'json'];
    const html = join(dir, 'sweep.html');
    const [one, two, backtest] = await Promise.all([
      sweep(...grid, '--workers', '1', '--html', html),
      sweep(...grid, '--workers', '2'),
      riskgate([
        'backtest',
        '--data',
        data,
        '--strategy',
        'sma-cross',
        '--param',
        'period=20',
        '--param',
        'stop=20',
        '--report',
        'json',
      ]),
    ]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(two.code, 0, two.stderr);
    assert.equal(one.stdout, two.stdout, 'byte-identical for any --workers');
    const out = JSON.parse(one.stdout) as { runs: Run[]; best: Run };
    assert.deepEqual(Object.keys(out), ['runs', 'best']);
    assert.deepEqual(
      out.runs.map((r) => r.params),
      ['10', '20', '30', '40'].flatMap((period) => ['0', '20'].map((stop) => ({ period, stop }))),
    );
    for (const r of out.runs) assert.deepEqual(Object.keys(r.stats), STATS_KEYS);
    const expected = (JSON.parse(backtest.stdout) as { stats: unknown }).stats;
    assert.deepEqual(out.runs[3]!.stats, expected, 'period=20 stop=20 as riskgate backtest reports it');
    let best = out.runs[0]!;
    for (const r of out.runs) if (parseFixed(r.stats.netPnl) > parseFixed(best.stats.netPnl)) best = r;
    assert.deepEqual(out.best, best);
    const page = readFileSync(html, 'utf8');
    assert.equal((page.match(/<rect class="cell"/g) ?? []).length, 8, 'a heatmap cell per (period, stop)');
    assert.ok(!/<script|https?:\/\/(?!www\.w3\.org)/.test(page), 'self-contained');
  });

  it('sweep --random: N distinct sets from the ranges, the same for a seed on any number of workers; --metric picks the best', async () => {
    const args = ['--param', 'period=5..60', '--random', '4', '--seed', '5', '--metric', 'sharpe', '--report', 'json'];
    const [one, two, other] = await Promise.all([
      sweep(...args, '--workers', '1'),
      sweep(...args, '--workers', '2'),
      sweep(...args.slice(0, 5), '6', '--report', 'json'),
    ]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout, two.stdout);
    const out = JSON.parse(one.stdout) as { runs: Run[]; best: Run };
    const periods = out.runs.map((r) => Number(r.params.period));
    assert.equal(new Set(periods).size, 4);
    assert.ok(
      periods.every((p) => Number.isInteger(p) && p >= 5 && p <= 60),
      String(periods),
    );
    assert.notDeepEqual(
      (JSON.parse(other.stdout) as { runs: Run[] }).runs.map((r) => r.params),
      out.runs.map((r) => r.params),
      'another seed, other sets',
    );
    const sharpes = out.runs.map((r) => r.stats.sharpe ?? -Infinity);
    assert.equal(out.best.stats.sharpe, Math.max(...sharpes));
  });

  it('walkforward: parameters chosen in-sample and scored out-of-sample in rolling windows; combined out-of-sample stats; the equity page', async () => {
    const args = [
      'research',
      'walkforward',
      '--data',
      data,
      '--strategy',
      'sma-cross',
      '--param',
      'period=5..25:10',
      '--in-sample',
      '200',
      '--out-of-sample',
      '150',
      '--report',
      'json',
    ];
    const html = join(dir, 'wf.html');
    const [one, two] = await Promise.all([
      riskgate([...args, '--workers', '1']),
      riskgate([...args, '--workers', '2', '--html', html]),
    ]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.stdout, two.stdout);
    const out = JSON.parse(one.stdout) as {
      windows: {
        inSample: { from: string; to: string; best: Run };
        outOfSample: { from: string; to: string; params: Record<string, string>; stats: Run['stats'] };
      }[];
      outOfSample: { stats: Run['stats'] };
    };
    assert.deepEqual(Object.keys(out), ['windows', 'outOfSample']);
    // 600 bars: in-sample 0-199, 150-349 (out-of-sample 200-349, 350-499); a third would end at 650.
    assert.equal(out.windows.length, 2);
    const [w0, w1] = out.windows;
    assert.deepEqual(Object.keys(w0!.inSample), ['from', 'to', 'best']);
    assert.deepEqual(Object.keys(w0!.outOfSample), ['from', 'to', 'params', 'stats']);
    const day = (iso: string) => iso.slice(0, 10);
    assert.deepEqual(
      [
        w0!.inSample.from,
        w0!.inSample.to,
        w0!.outOfSample.from,
        w0!.outOfSample.to,
        w1!.inSample.from,
        w1!.inSample.to,
        w1!.outOfSample.from,
        w1!.outOfSample.to,
      ].map(day),
      [0, 199, 200, 349, 150, 349, 350, 499].map((i) => dates[i]),
    );
    for (const w of out.windows) {
      assert.deepEqual(w.outOfSample.params, w.inSample.best.params);
      assert.ok(['5', '15', '25'].includes(w.inSample.best.params.period!));
    }
    const sum = out.windows.reduce((s, w) => s + parseFixed(w.outOfSample.stats.netPnl), 0n);
    assert.equal(parseFixed(out.outOfSample.stats.netPnl), sum);
    assert.equal(
      out.outOfSample.stats.trades,
      out.windows.reduce((n, w) => n + (w.outOfSample.stats.trades as number), 0),
    );
    assert.deepEqual(Object.keys(out.outOfSample.stats), STATS_KEYS);
    const page = readFileSync(html, 'utf8');
    const shown = JSON.parse(
      /<script type="application\/json" id="rg-report-data">(.*?)<\/script>/.exec(page)?.[1] ?? '{}',
    );
    assert.equal(shown.charts[0].kind, 'equity');
    assert.ok(shown.charts[0].data.points.length > 100, 'the out-of-sample equity curve');
    assert.equal((page.match(/<tr><td>/g) ?? []).length, 2, 'a row per window');
  });

  it('sweep --config: the risk rules run in every backtest, as in `backtest --config`', async () => {
    const cfg = join(dir, 'max1.yaml');
    writeFileSync(cfg, 'risk:\n  rules:\n    RULE-001: { limit: 1 }\n');
    const [ruled, backtest] = await Promise.all([
      sweep('--param', 'period=20', '--param', 'qty=1..2', '--config', cfg, '--report', 'json', '--workers', '2'),
      riskgate([
        'backtest',
        '--data',
        data,
        '--strategy',
        'sma-cross',
        '--param',
        'period=20',
        '--param',
        'qty=2',
        '--config',
        cfg,
        '--report',
        'json',
      ]),
    ]);
    assert.equal(ruled.code, 0, ruled.stderr);
    const runs = (JSON.parse(ruled.stdout) as { runs: Run[] }).runs;
    assert.ok((runs[0]!.stats.trades as number) > 0);
    assert.equal(runs[1]!.stats.trades, 0, 'qty 2 is above RULE-001: every entry rejected');
    assert.deepEqual(runs[1]!.stats, (JSON.parse(backtest.stdout) as { stats: unknown }).stats);
  });

  it('invalid ranges, parameters, metrics and windows are catalogued errors naming the flag', async () => {
    const wf = (...a: string[]) =>
      riskgate([
        'research',
        'walkforward',
        '--data',
        data,
        '--strategy',
        'sma-cross',
        '--param',
        'period=5..10:5',
        ...a,
      ]);
    const [range, value, unknown, metric, windows] = await Promise.all([
      sweep('--param', 'period=20..5:5'),
      sweep('--param', 'period=0..10:5'),
      sweep('--param', 'speed=1..2'),
      sweep('--param', 'period=5..10:5', '--metric', 'alpha'),
      wf('--in-sample', '500', '--out-of-sample', '200'),
    ]);
    for (const r of [range, value, unknown, metric, windows]) assert.equal(r.code, 1, r.stdout);
    assert.match(range.stderr, /ERR_RESEARCH_INPUT: --param period=20\.\.5:5: empty range/);
    assert.match(value.stderr, /ERR_BACKTEST_INPUT: --param period: expected an integer ≥ 1, got "0"/);
    assert.match(unknown.stderr, /--param speed: strategy sma-cross has no such parameter/);
    assert.match(metric.stderr, /ERR_RESEARCH_INPUT: --metric: one of netPnl/);
    assert.match(
      windows.stderr,
      /ERR_RESEARCH_INPUT: --in-sample 500 \+ --out-of-sample 200 bars exceed the data's 600 bars/,
    );
  });
});
