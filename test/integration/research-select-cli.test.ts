/** `riskgate research select` end to end on the bundled S&P 500 bars. */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { riskgate } from '../fixtures/cli.ts';

const CANDIDATES = 'sma-cross:period=20,sma-cross:period=50,strategies/buy-and-hold.ts,strategies/donchian-bracket.ts';

describe('riskgate research select (CLI)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'rg-sel-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('scores, selects and allocates on a schedule; JSON with every factor, weights and stress', async () => {
    const settings = join(dir, 'select.yaml');
    writeFileSync(
      settings,
      'lookback: 252\nrebalance: 126\nmaxActive: 2\nweights: { correlation: 1 }\nallocation: { method: max-diversification, maxWeight: 0.5 }\n',
    );
    const r = await riskgate([
      'research',
      'select',
      '--strategies',
      CANDIDATES,
      '--select',
      settings,
      '--report',
      'json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as {
      candidates: { id: string }[];
      settings: {
        maxActive: number;
        weights: { correlation: number };
        allocation: { method: string; maxWeight: number };
      };
      selections: {
        active: string[];
        scores: { contributions: Record<string, number> }[];
        allocation: { weights: Record<string, number>; scales: Record<string, number> };
        stress: { scenario: string }[];
      }[];
      portfolio: { bars: number; stats: Record<string, unknown> };
    };
    assert.deepEqual(Object.keys(out), ['candidates', 'settings', 'selections', 'portfolio']);
    assert.equal(out.candidates.length, 4);
    assert.equal(out.settings.weights.correlation, 1);
    assert.equal(out.settings.allocation.method, 'max-diversification');
    assert.equal(out.selections.length, Math.ceil((5105 - 252) / 126));
    assert.equal(out.portfolio.bars, 5105);
    for (const s of out.selections) {
      assert.ok(s.active.length <= 2);
      for (const w of Object.values(s.allocation.weights)) assert.ok(w <= 0.5 + 1e-12);
      assert.deepEqual(Object.keys(s.allocation.scales), ['var', 'drawdown', 'kelly']);
      assert.deepEqual(
        s.stress.map((x) => x.scenario),
        ['bull', 'bear', 'sideways', 'crisis'],
      );
    }
    assert.ok(out.selections.some((s) => s.active.length > 0));
  });

  it('flags override the file; the text report shows the factors; bad candidates are named', async () => {
    const r = await riskgate([
      'research',
      'select',
      '--strategies',
      CANDIDATES,
      '--lookback',
      '500',
      '--rebalance',
      '500',
      '--method',
      'min-variance',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /selections: 10 \(every 500 bars, lookback 500, at most 3 active; min-variance, cap 40\.0%/);
    assert.match(r.stdout, /score +-?\d+\.\d\d = sharpe -?\d/);
    assert.match(r.stdout, /^portfolio: return/m);
    const bad = await riskgate(['research', 'select', '--strategies', 'sma-cross:period']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /ERR_RESEARCH_INPUT: --strategies sma-cross:period: expected name:key=value/);
    const method = await riskgate(['research', 'select', '--strategies', 'sma-cross', '--method', 'best']);
    assert.match(method.stderr, /allocation\.method/);
  });
});
