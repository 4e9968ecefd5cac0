/**
 * DBN decoding throughput: records/s for the one-shot decoder, the streaming file reader (raw
 * and, when the `zstd` CLI is available to build the input, zstd), and the quote mapper; plus
 * the reader's peak RSS growth as evidence of constant memory. Input: N MBP-1 records (default
 * 2,000,000; `node --import tsx bench/dbn.ts 500000`) built from the fixture's first record with a
 * seeded random walk of times, prices and sizes, so zstd sees a realistic compression ratio.
 * Writes bench/results/dbn.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DbnFileReader, DbnQuoteMapper, decodeDbn } from '../src/adapters/databento/index.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = readFileSync(path.resolve(here, '../../shared/data/dbn/test_data.mbp-1.dbn'));
const N = Number(process.argv[2] ?? 2_000_000);
const HEADER = 353; // v2 header of test_data.mbp-1.dbn
const RECORD = 80;

const body = Buffer.alloc(N * RECORD);
let seed = 42;
const rand = (n: number): number => {
  seed = (seed * 1103515245 + 12345) % 2147483648; // LCG: reproducible input
  return seed % n;
};
let ts = 1609160400000000000n;
let tick = 14882; // price in 0.25 ticks
for (let i = 0; i < N; i++) {
  const at = i * RECORD;
  fixture.copy(body, at, HEADER, HEADER + RECORD);
  ts += BigInt(rand(2_000_000));
  tick += rand(3) - 1;
  body.writeBigUInt64LE(ts, at + 8); // ts_event
  body.writeBigUInt64LE(ts + BigInt(rand(200_000)), at + 32); // ts_recv
  body.writeBigInt64LE(BigInt(tick + rand(2)) * 250_000_000n, at + 16); // price
  body.writeUInt32LE(1 + rand(20), at + 24); // size
  body.writeBigInt64LE(BigInt(tick) * 250_000_000n, at + 48); // bid_px
  body.writeBigInt64LE(BigInt(tick + 1) * 250_000_000n, at + 56); // ask_px
  body.writeUInt32LE(1 + rand(60), at + 64); // bid_sz
  body.writeUInt32LE(1 + rand(60), at + 68); // ask_sz
}
const file = Buffer.concat([fixture.subarray(0, HEADER), body]);
const dir = mkdtempSync(path.join(tmpdir(), 'dbn-bench-'));
const rawPath = path.join(dir, 'bench.mbp-1.dbn');
writeFileSync(rawPath, file);

function time<T>(fn: () => T): { ms: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

async function timeAsync<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = process.hrtime.bigint();
  const value = await fn();
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, value };
}

async function streamCount(p: string): Promise<{ count: number; rssGrowthMb: number }> {
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  let count = 0;
  const reader = await DbnFileReader.open(p);
  for await (const batch of reader.batches()) {
    count += batch.length;
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  return { count, rssGrowthMb: Math.round((peak - rss0) / 1e5) / 10 };
}

const rate = (n: number, ms: number): number => Math.round(n / (ms / 1000));
const results: Record<string, unknown> = {
  records: N,
  fileMb: Math.round(file.length / 1e5) / 10,
  node: process.version,
};

const stream = await timeAsync(() => streamCount(rawPath));
results.streamRaw = {
  recordsPerSec: rate(stream.value.count, stream.ms),
  ms: Math.round(stream.ms),
  rssGrowthMb: stream.value.rssGrowthMb,
};

try {
  execFileSync('zstd', ['-q', '-3', rawPath, '-o', `${rawPath}.zst`]);
  const z = await timeAsync(() => streamCount(`${rawPath}.zst`));
  results.streamZstd = {
    recordsPerSec: rate(z.value.count, z.ms),
    ms: Math.round(z.ms),
    rssGrowthMb: z.value.rssGrowthMb,
    compressedMb: Math.round(statSync(`${rawPath}.zst`).size / 1e5) / 10,
  };
} catch {
  results.streamZstd = 'skipped: zstd CLI not available to build the input';
}

const sync = time(() => decodeDbn(file));
results.oneShot = { recordsPerSec: rate(sync.value.records.length, sync.ms), ms: Math.round(sync.ms) };

const mapper = new DbnQuoteMapper(sync.value.metadata);
const mapped = time(() => {
  let n = 0;
  for (const r of sync.value.records) if (mapper.map(r)) n++;
  return n;
});
results.quoteMapper = { recordsPerSec: rate(mapped.value, mapped.ms), ms: Math.round(mapped.ms) };

rmSync(dir, { recursive: true, force: true });
mkdirSync(path.join(here, 'results'), { recursive: true });
writeFileSync(path.join(here, 'results/dbn.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
