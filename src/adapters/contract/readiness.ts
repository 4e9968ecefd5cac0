/**
 * Readiness of a venue adapter (DESIGN §5 `riskgate readiness`): its contract, fault and
 * reconciliation suites, run as plain async checks against the adapter's local fake, so the product
 * runs them without a test runner. Score out of 100 = 80 × pass rate + 20 × share of suites that
 * pass completely; ready at 85 or more.
 *
 * Each adapter folder exports a `readiness` entry (registered in src/adapters/registry.ts): its
 * suites, built around a fake it starts itself, and the faults it can force on that fake.
 */

import type { BrokerHarness } from './broker-contract.ts';

export const READY_AT = 85;

/** One check: resolves when it passes, throws (an assertion or any error) when it fails. */
export interface ReadinessCheck {
  readonly name: string;
  run(): Promise<void>;
}

export interface ReadinessSuite {
  /** `contract`, `faults`, `reconciliation`. */
  readonly name: string;
  readonly checks: readonly ReadinessCheck[];
}

export interface ReadinessOptions {
  /** A fault of the adapter's `faults` forced on its fake for every check (shows what fails). */
  readonly fault?: string;
}

/** A venue behind its adapter, for suites built outside the adapter (the node's reconciliation suite). */
export interface VenueHarness extends BrokerHarness {
  /** The config keys that make a trading node use this venue: `broker` (absent for paper) and `paper`. */
  readonly config: Readonly<Record<string, unknown>>;
}

export interface AdapterReadiness {
  /** Faults the fake can be forced into: name → what it does. */
  readonly faults: Readonly<Record<string, string>>;
  /** The adapter's own suites (contract, faults). */
  suites(opts: ReadinessOptions): ReadinessSuite[];
  /** A fresh venue (its fake started, the fault forced) and an adapter in front of it, not yet connected. */
  venue(opts: ReadinessOptions): Promise<VenueHarness>;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly ms: number;
  readonly error?: string;
}

export interface SuiteResult {
  readonly name: string;
  readonly passed: number;
  readonly total: number;
  readonly checks: readonly CheckResult[];
}

export interface ReadinessReport {
  readonly broker: string;
  readonly fault?: string;
  readonly score: number;
  readonly ready: boolean;
  readonly threshold: number;
  readonly passed: number;
  readonly total: number;
  readonly suitesPassing: number;
  readonly suites: readonly SuiteResult[];
  readonly failing: readonly { readonly suite: string; readonly check: string; readonly error: string }[];
}

/** 80 × pass rate + 20 × share of suites fully passing, rounded to 0.1; 0 when there are no checks. */
export function readinessScore(suites: readonly SuiteResult[]): number {
  const total = suites.reduce((n, s) => n + s.total, 0);
  if (total === 0 || suites.length === 0) return 0;
  const passed = suites.reduce((n, s) => n + s.passed, 0);
  const full = suites.filter((s) => s.passed === s.total).length;
  return Math.round(((80 * passed) / total) * 10 + ((20 * full) / suites.length) * 10) / 10;
}

/** Runs every check one after the other (each gets its own fake), bounded by `timeoutMs` per check. */
export async function runReadiness(
  broker: string,
  suites: readonly ReadinessSuite[],
  opts: {
    readonly fault?: string;
    readonly timeoutMs?: number;
    readonly onCheck?: (suite: string, r: CheckResult) => void;
  } = {},
): Promise<ReadinessReport> {
  const results: SuiteResult[] = [];
  for (const suite of suites) {
    const checks: CheckResult[] = [];
    for (const check of suite.checks) {
      const r = await runCheck(check, opts.timeoutMs ?? 30_000);
      checks.push(r);
      opts.onCheck?.(suite.name, r);
    }
    results.push({ name: suite.name, passed: checks.filter((c) => c.ok).length, total: checks.length, checks });
  }
  const score = readinessScore(results);
  return {
    broker,
    ...(opts.fault ? { fault: opts.fault } : {}),
    score,
    ready: score >= READY_AT,
    threshold: READY_AT,
    passed: results.reduce((n, s) => n + s.passed, 0),
    total: results.reduce((n, s) => n + s.total, 0),
    suitesPassing: results.filter((s) => s.passed === s.total).length,
    suites: results,
    failing: results.flatMap((s) =>
      s.checks.filter((c) => !c.ok).map((c) => ({ suite: s.name, check: c.name, error: c.error ?? 'failed' })),
    ),
  };
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      check.run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { name: check.name, ok: true, ms: Date.now() - started };
  } catch (err) {
    const error = (err instanceof Error ? err.message : String(err)).replace(/\s*\n\s*/g, ' ').slice(0, 500);
    return { name: check.name, ok: false, ms: Date.now() - started, error };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

/** The text report: one line per check, the failing ones listed, the score and verdict last. */
export function readinessText(r: ReadinessReport): string {
  const lines = [
    `readiness of the ${r.broker} adapter against its local fake${r.fault ? ` (fault forced: ${r.fault})` : ''}`,
  ];
  for (const s of r.suites) {
    lines.push(`  ${s.name}: ${s.passed}/${s.total} passed`);
    for (const c of s.checks)
      lines.push(`    ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} (${c.ms} ms)${c.ok ? '' : `: ${c.error}`}`);
  }
  if (r.failing.length) {
    lines.push(`failing checks (${r.failing.length}):`);
    for (const f of r.failing) lines.push(`  - ${f.suite} / ${f.check}: ${f.error}`);
  }
  lines.push(
    `score ${r.score}/100 (${r.passed}/${r.total} checks, ${r.suitesPassing}/${r.suites.length} suites fully passing): ${r.ready ? 'READY' : 'NOT READY'} (ready at ${r.threshold})`,
  );
  return lines.join('\n');
}
