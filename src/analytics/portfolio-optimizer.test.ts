import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateMoments, optimizePortfolio, projectCappedSimplex } from './portfolio-optimizer.ts';
import { isAppError } from '../errors.ts';

const near = (a: number[], b: number[], tol: number, label: string): void =>
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]!) <= tol, `${label}[${i}]: ${x} vs ${b[i]}`));
const sumsToOne = (w: number[]): void => assert.ok(Math.abs(w.reduce((a, x) => a + x, 0) - 1) < 1e-12);

test('2-asset minimum variance = (s2² − s12)/(s1² + s2² − 2 s12) without a binding cap', () => {
  const s1 = 0.2;
  const s2 = 0.3;
  const s12 = 0.4 * s1 * s2;
  const r = optimizePortfolio(
    'min-variance',
    [0.05, 0.08],
    [
      [s1 * s1, s12],
      [s12, s2 * s2],
    ],
    { maxWeight: 1 },
  );
  const w1 = (s2 * s2 - s12) / (s1 * s1 + s2 * s2 - 2 * s12);
  near(r.weights, [w1, 1 - w1], 1e-9, 'minvar');
  sumsToOne(r.weights);
});

test('uncorrelated risk parity: w_i ∝ 1/s_i, equal risk contributions', () => {
  const s = [0.1, 0.2, 0.25, 0.4];
  const cov = s.map((si, i) => s.map((_, j) => (i === j ? si * si : 0)));
  const r = optimizePortfolio('risk-parity', [0, 0, 0, 0], cov, { maxWeight: 1 });
  const inv = s.map((x) => 1 / x);
  const tot = inv.reduce((a, x) => a + x, 0);
  near(
    r.weights,
    inv.map((x) => x / tot),
    1e-12,
    'rp',
  );
  near(r.riskContributions, [0.25, 0.25, 0.25, 0.25], 1e-12, 'rc');
});

test('correlated risk parity equalises risk contributions', () => {
  const cov = [
    [0.04, 0.006, -0.004],
    [0.006, 0.09, 0.012],
    [-0.004, 0.012, 0.0225],
  ];
  const r = optimizePortfolio('risk-parity', [0, 0, 0], cov, { maxWeight: 1 });
  near(r.riskContributions, [1 / 3, 1 / 3, 1 / 3], 1e-10, 'rc');
  sumsToOne(r.weights);
});

test('uncorrelated max Sharpe: w_i ∝ (μ_i − r_f)/s_i²; max diversification: w_i ∝ 1/s_i', () => {
  const mu = [0.06, 0.08, 0.1];
  const s = [0.15, 0.2, 0.3];
  const cov = s.map((si, i) => s.map((_, j) => (i === j ? si * si : 0)));
  const rf = 0.02;
  const raw = mu.map((m, i) => (m - rf) / (s[i]! * s[i]!));
  const tot = raw.reduce((a, x) => a + x, 0);
  const r = optimizePortfolio('max-sharpe', mu, cov, { maxWeight: 1, riskFreeRate: rf });
  near(
    r.weights,
    raw.map((x) => x / tot),
    1e-7,
    'maxsharpe',
  );
  const inv = s.map((x) => 1 / x);
  const ti = inv.reduce((a, x) => a + x, 0);
  near(
    optimizePortfolio('max-diversification', mu, cov, { maxWeight: 1 }).weights,
    inv.map((x) => x / ti),
    1e-7,
    'maxdiv',
  );
});

test('mean-variance with a diagonal covariance: w_i = (μ_i − γ)/(λ s_i²), γ fixed by Σw = 1', () => {
  const mu = [0.1, 0.12, 0.08];
  const v = [0.04, 0.09, 0.0625];
  const lambda = 3;
  // Σ (μ_i − γ)/(λ v_i) = 1 → γ = (Σ μ_i/v_i − λ)/(Σ 1/v_i).
  const gamma = (mu.reduce((a, m, i) => a + m / v[i]!, 0) - lambda) / v.reduce((a, x) => a + 1 / x, 0);
  const expected = mu.map((m, i) => (m - gamma) / (lambda * v[i]!));
  const r = optimizePortfolio(
    'mean-variance',
    mu,
    v.map((vi, i) => v.map((_, j) => (i === j ? vi : 0))),
    { riskAversion: lambda, maxWeight: 1 },
  );
  near(r.weights, expected, 1e-9, 'mv');
});

test('default cap of 40 %: a dominant low-variance strategy is held at the cap, others share the rest', () => {
  const cov = [
    [0.0001, 0, 0],
    [0, 0.04, 0],
    [0, 0, 0.05],
  ];
  for (const method of ['min-variance', 'risk-parity', 'max-diversification', 'max-sharpe', 'mean-variance'] as const) {
    const r = optimizePortfolio(method, [0.05, 0.04, 0.03], cov);
    sumsToOne(r.weights);
    assert.ok(
      r.weights.every((w) => w >= -1e-15 && w <= 0.4 + 1e-12),
      `${method}: ${r.weights.join(', ')}`,
    );
    assert.ok(Math.abs(r.weights[0]! - 0.4) < 1e-9, `${method}: first weight ${r.weights[0]} should sit at the cap`);
  }
  // Min variance with w1 = 0.4 fixed: the rest split ∝ 1/v (uncorrelated): 0.6·25/45, 0.6·20/45.
  const mv = optimizePortfolio('min-variance', [0, 0, 0], cov);
  near(mv.weights, [0.4, (0.6 * 25) / 45, (0.6 * 20) / 45], 1e-9, 'capped minvar');
  // Risk parity with the cap: the two free strategies have equal risk contributions.
  const rp = optimizePortfolio('risk-parity', [0, 0, 0], cov);
  assert.ok(Math.abs(rp.riskContributions[1]! - rp.riskContributions[2]!) < 1e-10);
});

test('infeasible cap and invalid inputs are rejected', () => {
  assert.throws(
    () =>
      optimizePortfolio(
        'min-variance',
        [0.1, 0.1],
        [
          [0.04, 0],
          [0, 0.04],
        ],
      ),
    (e: unknown) => isAppError(e) && e.code === 'ERR_ANALYTICS_NO_SOLUTION',
  );
  assert.throws(
    () =>
      optimizePortfolio(
        'max-sharpe',
        [-0.1, -0.2, -0.1],
        [
          [1, 0, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
      ),
    /risk-free/,
  );
  assert.throws(
    () =>
      optimizePortfolio(
        'min-variance',
        [0, 0, 0],
        [
          [1, 0.5, 0],
          [0, 1, 0],
          [0, 0, 1],
        ],
      ),
    /symmetric/,
  );
});

test('moments from return series and the capped-simplex projection', () => {
  const m = estimateMoments([
    [0.01, 0.03],
    [0.02, -0.02],
  ]);
  near(m.expectedReturns, [0.02, 0], 1e-15, 'mu');
  near(m.covariance.flat(), [0.0002, -0.0004, -0.0004, 0.0008], 1e-15, 'cov');
  near(projectCappedSimplex([1, 0, 0], 0.5), [0.5, 0.25, 0.25], 1e-12, 'proj');
  near(projectCappedSimplex([0.2, 0.3, 0.5], 1), [0.2, 0.3, 0.5], 1e-12, 'proj-identity');
});
