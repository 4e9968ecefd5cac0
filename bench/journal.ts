/**
 * Journal throughput with group commit (DESIGN §1; product target ≥ 100k records/s on the
 * 2-core reference machine). Appends realistic fill/decision bodies in batches of 1000, one
 * transaction per batch, for both durability settings, then times a full `journal verify`.
 * Writes bench/results/journal.json.  Run: node --import tsx bench/journal.ts [records]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteJournal } from '../src/store/sqlite/journal.ts';
import type { JournalSynchronous } from '../src/store/sqlite/schema.ts';
import { verifyJournal } from '../src/store/sqlite/verify.ts';

const TOTAL = Number(process.argv[2] ?? 200_000);
const BATCH = 1000;
const REPS = 3;
const BASE_MS = Date.parse('2026-03-02T14:30:00.000Z');

function entry(i: number): { ts: string; kind: string; account: string; body: unknown } {
  const ts = new Date(BASE_MS + i).toISOString();
  if (i % 2 === 0) {
    return {
      ts,
      kind: 'event',
      account: 'A1',
      body: {
        type: 'fill',
        account: 'A1',
        orderId: `o${i}`,
        fillId: `f${i}`,
        symbol: 'MNQ',
        side: i % 4 === 0 ? 'buy' : 'sell',
        qty: 1,
        price: '18000.25',
        fee: '0.37',
        ts,
      },
    };
  }
  return {
    ts,
    kind: 'decision',
    account: 'A1',
    body: { rule: 'RULE-003', outcome: 'allow', distanceToLimit: '412.50', event: i - 1 },
  };
}

interface Run {
  synchronous: JournalSynchronous;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  /** Throughput per second of this process's CPU time: steadier than wall time on a shared box. */
  recordsPerCpuSecond: number;
  appendOnlyRecordsPerSecond: number;
  bytesPerRecord: number;
  verifySeconds: number;
  verifyRecordsPerSecond: number;
}

const entries = Array.from({ length: TOTAL }, (_, i) => entry(i));

function run(dir: string, synchronous: JournalSynchronous, rep: number): Run {
  const path = join(dir, `journal-${synchronous}-${rep}.db`);
  const journal = openSqliteJournal(path, { synchronous, autoFlushEvery: 0 });
  let appendNs = 0n;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let start = 0; start < TOTAL; start += BATCH) {
    const a0 = process.hrtime.bigint();
    for (let i = start; i < Math.min(start + BATCH, TOTAL); i++) journal.append(entries[i]!);
    appendNs += process.hrtime.bigint() - a0;
    journal.flush();
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  journal.close();
  const bytes = statSync(path).size;
  const v0 = process.hrtime.bigint();
  const verdict = verifyJournal(path);
  const verifySeconds = Number(process.hrtime.bigint() - v0) / 1e9;
  if (!verdict.ok || verdict.records !== TOTAL)
    throw new Error(`bench journal does not verify: ${JSON.stringify(verdict)}`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  return {
    synchronous,
    records: TOTAL,
    seconds: round(seconds),
    recordsPerSecond: Math.round(TOTAL / seconds),
    recordsPerCpuSecond: Math.round(TOTAL / cpuSeconds),
    appendOnlyRecordsPerSecond: Math.round(TOTAL / (Number(appendNs) / 1e9)),
    bytesPerRecord: Math.round(bytes / TOTAL),
    verifySeconds: round(verifySeconds),
    verifyRecordsPerSecond: Math.round(TOTAL / verifySeconds),
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

const dir = mkdtempSync(join(tmpdir(), 'riskgate-bench-journal-'));
try {
  run(dir, 'NORMAL', 0); // warm-up (JIT), not reported
  // Interleaved repetitions; the median resists noise from other processes on a 2-core box.
  const all: Run[] = [];
  for (let rep = 1; rep <= REPS; rep++) for (const sync of ['FULL', 'NORMAL'] as const) all.push(run(dir, sync, rep));
  const summary = (['FULL', 'NORMAL'] as const).map((synchronous) => {
    const mine = all.filter((r) => r.synchronous === synchronous);
    return {
      synchronous,
      medianRecordsPerSecond: median(mine.map((r) => r.recordsPerSecond)),
      bestRecordsPerSecond: Math.max(...mine.map((r) => r.recordsPerSecond)),
      medianRecordsPerCpuSecond: median(mine.map((r) => r.recordsPerCpuSecond)),
      medianVerifyRecordsPerSecond: median(mine.map((r) => r.verifyRecordsPerSecond)),
    };
  });
  const runs = all;
  const result = {
    bench: 'journal',
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    batch: BATCH,
    targetRecordsPerSecond: 100_000,
    loadAverage: loadavg().map(round),
    summary,
    runs,
  };
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('./results/journal.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
