import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { AppError } from '../../errors.ts';
import { configSchema } from '../../config/schema.ts';
import { createEngine } from '../../engine/factory.ts';
import { runReplay } from '../../engine/replay.ts';
import { decisionJson, type Decision } from '../../engine/decision.ts';
import { MemoryChain } from '../../store/memory-chain.ts';
import { OffThreadChain } from '../../store/chain-thread.ts';
import { generateEvents } from '../../../test/fixtures/generate-events.ts';
import { eventBatches, newReadStats, readEventBatches, type ReadOptions, type ReadStats } from './reader.ts';
import { READER_SLICE, readEventBatchesThreaded } from './reader-thread.ts';

/** The worker-thread reader must hand out exactly what the in-thread reader does. */

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rg-reader-thread-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, content);
  return f;
}

interface Read {
  events: { line: number; text: string; account: string | undefined; event: unknown; raw: unknown }[];
  batches: number;
  largestBatch: number;
  stats: ReadStats;
  error?: { code: string; message: string; details: unknown };
}

async function readAll(read: typeof readEventBatches, f: string, opts: ReadOptions = {}): Promise<Read> {
  const stats = newReadStats();
  const out: Read = { events: [], batches: 0, largestBatch: 0, stats };
  try {
    for await (const batch of read(f, stats, opts)) {
      out.batches++;
      out.largestBatch = Math.max(out.largestBatch, batch.length);
      for (const e of batch)
        out.events.push({ line: e.line, text: e.text, account: e.account, event: e.event, raw: e.raw });
    }
  } catch (err) {
    assert.ok(err instanceof AppError, String(err));
    out.error = { code: err.code, message: err.message, details: err.details };
  }
  return out;
}

async function assertSameReads(f: string, opts: ReadOptions = {}): Promise<Read> {
  const inThread = await readAll(readEventBatches, f, opts);
  const threaded = await readAll(readEventBatchesThreaded, f, opts);
  assert.deepEqual({ ...threaded, batches: 0, largestBatch: 0 }, { ...inThread, batches: 0, largestBatch: 0 });
  // Batches of at most READER_SLICE events (a chunk's events do not all live at once).
  assert.ok(threaded.largestBatch <= READER_SLICE, `batches of up to ${threaded.largestBatch} events`);
  return threaded;
}

const at = (i: number): string => new Date(Date.UTC(2026, 2, 2, 14, 0, 0) + i * 250).toISOString();

describe('event log reader on a worker thread', () => {
  it('reads lines across chunk boundaries, multi-byte UTF-8, CRLF and blank lines as the in-thread reader does', async () => {
    let text = '';
    for (let i = 0; text.length < 2_600_000; i++) {
      // Non-ASCII accounts in some lines only: the ASCII lines of those chunks are still scanned.
      const account = i % 5 === 0 ? `Ä€😀-${i}` : `A${i % 3}`;
      const line =
        i % 4 === 0
          ? JSON.stringify({ ts: at(i), type: 'account', account, canTrade: true })
          : i % 4 === 1
            ? JSON.stringify({ ts: at(i), type: 'quote', symbol: 'MNQ', last: `${18000 + (i % 40) / 4}` })
            : JSON.stringify({
                ts: at(i),
                type: 'order',
                account,
                orderId: `o${i}`,
                symbol: 'MNQ',
                side: 'buy',
                qty: 1,
              });
      text += line + (i % 7 === 0 ? '\r\n' : '\n') + (i % 101 === 0 ? '\n' : '');
    }
    const read = await assertSameReads(file('mixed.ndjson', text.slice(0, -1)));
    assert.ok(read.batches >= 3, 'several chunks');
    assert.ok(read.events.length > 20_000);
    assert.equal(read.error, undefined);
  });

  it('reads accounts and symbols first met in later chunks, the chunks before being read in slices', async () => {
    // Each chunk of 64 KiB (~900 lines) brings a new account and symbol: their table entries
    // come with the chunk's first slice only.
    const lines = Array.from({ length: 6000 }, (_, i) => {
      const k = Math.floor(i / 700);
      return i % 2 === 0
        ? JSON.stringify({ ts: at(i), type: 'quote', symbol: `S${k}`, last: '100.25' })
        : JSON.stringify({
            ts: at(i),
            type: 'order',
            account: `ACC${k}`,
            orderId: `o${i}`,
            symbol: `S${k}`,
            side: 'sell',
            qty: 2,
          });
    });
    const read = await assertSameReads(file('tables.ndjson', lines.join('\n')), { chunkBytes: 64 * 1024 });
    assert.ok(read.batches > 20, 'many slices');
    assert.deepEqual(new Set(read.events.map((e) => e.account).filter((a) => a !== undefined)).size, 9);
  });

  it('reads order_update lines (left to JSON.parse by the scanner) and names an out-of-order line as the in-thread reader does', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) =>
      i % 3 === 0
        ? JSON.stringify({
            ts: at(i),
            type: 'order',
            account: 'A1',
            orderId: `o${i}`,
            symbol: 'MNQ',
            side: 'buy',
            qty: 1,
            orderType: 'limit',
            price: '18000.25',
            stopPrice: '17990',
          })
        : i % 3 === 1
          ? JSON.stringify({
              ts: at(i),
              type: 'order_update',
              account: 'A1',
              orderId: `o${i - 1}`,
              qty: 2,
              stopPrice: '17980.5',
            })
          : JSON.stringify({ ts: at(i), type: 'order_update', account: 'A1', orderId: `o${i - 2}`, price: '18001' }),
    );
    const read = await assertSameReads(file('updates.ndjson', lines.join('\n')), { chunkBytes: 32 * 1024 });
    assert.equal(read.events.length, 3000);
    assert.deepEqual(read.events[1]!.event, {
      type: 'order_update',
      ts: at(1),
      t: Date.parse(at(1)),
      account: 'A1',
      orderId: 'o0',
      qty: 2_000_000_000_000_000_000n,
      price: undefined,
      stopPrice: 17_980_500_000_000_000_000_000n,
    });
    lines.splice(2500, 0, JSON.stringify({ ts: at(10), type: 'order_update', account: 'A1', orderId: 'o9', qty: 3 }));
    const failed = await assertSameReads(file('late.ndjson', lines.join('\n')), { chunkBytes: 32 * 1024 });
    assert.equal(failed.error?.code, 'ERR_EVENT_OUT_OF_ORDER');
    assert.match(failed.error!.message, /^line 2501: field "ts": out of order/);
  });

  it('names the same bad line, or skips and counts the same lines, as the in-thread reader', async () => {
    const lines = [
      JSON.stringify({ ts: at(1), type: 'quote', symbol: 'ES', last: '5200.25' }),
      '{"ts":"2026-03-02T14:00:01.000Z","type":"quote","symbol":"ES","last":5200.25}',
      '{"ts":"2026-03-02T14:00:02.000Z","type":"fill",',
      JSON.stringify({ ts: at(3), type: 'news', symbol: 'ES' }),
      JSON.stringify({ ts: at(4), type: 'order', account: 'A1', orderId: 'o1', symbol: 'ES', side: 'buy', qty: 0 }),
      JSON.stringify({ ts: at(0), type: 'quote', symbol: 'ES', last: '5200' }), // out of order
      JSON.stringify({ ts: at(5), type: 'order_status', account: 'A1', orderId: 'o1', status: 'filled' }),
    ];
    const f = file('bad.ndjson', lines.join('\n') + '\n');
    const failed = await assertSameReads(f);
    assert.equal(failed.error?.code, 'ERR_EVENT_MALFORMED');
    assert.match(failed.error!.message, /^line 2: field "last"/);
    const skipped = await assertSameReads(f, { skipBad: true });
    assert.deepEqual(
      skipped.events.map((e) => e.line),
      [1, 7],
    );
    assert.equal(skipped.stats.skipped, 5);
    assert.deepEqual(
      skipped.stats.skippedLines.map((s) => s.line),
      [2, 3, 4, 5, 6],
    );
    assert.match(skipped.stats.skippedLines[3]!.error, /^ERR_EVENT_MALFORMED: field "qty"/);
    assert.deepEqual(skipped.stats.skippedByReason, {
      'ERR_EVENT_MALFORMED last': 1,
      ERR_EVENT_MALFORMED: 1,
      'ERR_EVENT_UNKNOWN_TYPE type': 1,
      'ERR_EVENT_MALFORMED qty': 1,
      'ERR_EVENT_OUT_OF_ORDER ts': 1,
    });
  });

  it('resumes after a line, and reports a missing file, as the in-thread reader does', async () => {
    const lines = Array.from({ length: 50 }, (_, i) =>
      JSON.stringify({ ts: at(i), type: 'quote', symbol: 'CL', last: `70.${String(i).padStart(2, '0')}` }),
    );
    const resumed = await assertSameReads(file('resume.ndjson', lines.join('\n')), { fromLine: 20 });
    assert.deepEqual(
      resumed.events.map((e) => e.line),
      Array.from({ length: 30 }, (_, i) => 21 + i),
    );
    const missing = await assertSameReads(path.join(dir, 'nope.ndjson'));
    assert.equal(missing.error?.code, 'ERR_FILE_NOT_FOUND');
  });

  it('stops its worker when the consumer stops early', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) =>
      JSON.stringify({ ts: at(i), type: 'quote', symbol: 'ES', last: '5200.25' }),
    );
    const f = file('early.ndjson', lines.join('\n'));
    const first = async (read: typeof readEventBatches): Promise<number[]> => {
      for await (const batch of read(f, newReadStats(), { chunkBytes: 64 * 1024 })) return batch.map((e) => e.line);
      return [];
    };
    const threaded = await first(readEventBatchesThreaded);
    assert.deepEqual(threaded, (await first(readEventBatches)).slice(0, READER_SLICE));
    assert.equal(threaded.length, READER_SLICE);
  });

  it('replays to the same decisions and journal head as the in-thread reader, with either journal path', async () => {
    const events = [
      ...generateEvents({
        seed: 7,
        start: '2026-03-02T00:00:00.000Z',
        end: '2026-03-20T00:00:00.000Z',
        accounts: ['A1', 'A2'],
        symbols: [
          { symbol: 'MNQ', price: 18000, tick: 0.25 },
          { symbol: 'CL', price: 70, tick: 0.01 },
        ],
        stepMs: 30_000,
        withOrders: true,
        maxPosition: 6,
      }),
    ];
    const f = file('replay.ndjson', events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const config = configSchema.parse(
      parse(
        'risk:\n  rules:\n    RULE-001: { limit: 4 }\n    RULE-003: { limit: "300" }\n    RULE-004: { limit: "150" }\n    RULE-011: { blocked: ["CL"] }\n',
      ),
    );
    const replay = async (
      worker: boolean,
      journal: MemoryChain | OffThreadChain,
      chunkPort = false,
    ): Promise<{ head: string; decisions: unknown[] }> => {
      const decisions: Decision[] = [];
      const chunkSink = chunkPort && journal instanceof OffThreadChain ? () => journal.chunkPort() : undefined;
      const r = await runReplay(
        createEngine(config, 'enforce'),
        eventBatches(f, newReadStats(), { worker, chunkSink, chunkBytes: 256 * 1024 }),
        { journal, onDecision: (d) => decisions.push(d) },
      );
      if (journal instanceof OffThreadChain) await journal.close();
      return { head: r.head.hash, decisions: decisions.map(decisionJson) };
    };
    const inThread = await replay(false, new MemoryChain());
    assert.ok(inThread.decisions.length > 10, 'the replay decides something');
    assert.deepEqual(await replay(true, new MemoryChain()), inThread);
    assert.deepEqual(await replay(true, new OffThreadChain()), inThread);
    assert.deepEqual(
      await replay(true, new OffThreadChain(), true),
      inThread,
      'chunk texts posted by the reader to the hash worker',
    );
  });
});
