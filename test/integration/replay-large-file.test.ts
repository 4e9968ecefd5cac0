/**
 * `riskgate replay` of a file large enough to be read on a worker thread (≥ WORKER_READ_MIN_BYTES):
 * the report, the decisions and the bad-line handling are those of the in-thread reader.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.ts';
import { createEngine } from '../../src/engine/factory.ts';
import { runReplay } from '../../src/engine/replay.ts';
import { buildReport } from '../../src/engine/report.ts';
import { decisionJson, type Decision } from '../../src/engine/decision.ts';
import { MemoryChain } from '../../src/store/memory-chain.ts';
import { eventBatches, newReadStats, WORKER_READ_MIN_BYTES } from '../../src/adapters/eventlog/reader.ts';
import { generateEvents } from '../fixtures/generate-events.ts';
import { riskgate } from '../fixtures/cli.ts';

const CONFIG =
  'timezone: America/Chicago\nrisk:\n  rules:\n    RULE-001: { limit: 5 }\n    RULE-003: { limit: "400" }\n    RULE-004: { limit: "200" }\n    RULE-011: { blocked: ["CL"] }\n';
let dir: string;
let file: string;
let lines: string[];
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rg-large-'));
  lines = [];
  let bytes = 0;
  const events = generateEvents({
    seed: 11,
    start: '2026-01-05T00:00:00.000Z',
    end: '2027-01-01T00:00:00.000Z',
    accounts: ['A1', 'A2', 'A3'],
    symbols: [
      { symbol: 'MNQ', price: 18000, tick: 0.25 },
      { symbol: 'ES', price: 5200, tick: 0.25 },
      { symbol: 'CL', price: 70, tick: 0.01 },
    ],
    stepMs: 20_000,
    withOrders: true,
    maxPosition: 6,
  });
  for (const e of events) {
    const line = JSON.stringify(e);
    lines.push(line);
    bytes += line.length + 1;
    if (bytes > WORKER_READ_MIN_BYTES + (1 << 20)) break;
  }
  // One bad line near the end (a quote price as a JSON number).
  const at = lines.length - 100;
  const bad = JSON.parse(lines[at]!) as Record<string, unknown>;
  lines.splice(at, 0, JSON.stringify({ ts: bad.ts, type: 'quote', symbol: 'MNQ', last: 18000.25 }));
  file = path.join(dir, 'events.ndjson');
  writeFileSync(file, lines.join('\n') + '\n');
  writeFileSync(path.join(dir, 'riskgate.yaml'), CONFIG);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('riskgate replay of a large file (read on a worker thread)', () => {
  it('reports and decides exactly as the in-thread reader, skipping the bad line', async () => {
    assert.ok(statSync(file).size >= WORKER_READ_MIN_BYTES, 'large enough for the worker');
    const out = path.join(dir, 'decisions.ndjson');
    const r = await riskgate(['replay', file, '--config', path.join(dir, 'riskgate.yaml'), '--skip-bad', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const badLine = lines.findIndex((l) => l.includes('"last":18000.25')) + 1;
    assert.match(
      r.stderr,
      new RegExp(
        `^replay: skipped 1 bad line\\(s\\): ${badLine} \\(ERR_EVENT_MALFORMED: field "last": expected a decimal string`,
        'm',
      ),
    );

    const engine = createEngine(configSchema.parse(parse(CONFIG)));
    const decisions: Decision[] = [];
    const result = await runReplay(engine, eventBatches(file, newReadStats(), { skipBad: true, worker: false }), {
      journal: new MemoryChain(),
      onDecision: (d) => decisions.push(d),
    });
    assert.equal(result.events, lines.length - 1);
    assert.ok(decisions.length > 20, 'the replay decides something');
    assert.deepEqual(
      JSON.parse(r.stdout),
      JSON.parse(JSON.stringify(buildReport(engine, result.events, result.head.hash))),
    );
    assert.deepEqual(
      readFileSync(out, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
      decisions.map((d) => JSON.parse(JSON.stringify(decisionJson(d)))),
    );
  });

  it('stops at the bad line and names it without --skip-bad', async () => {
    const r = await riskgate(['replay', file, '--config', path.join(dir, 'riskgate.yaml')]);
    assert.notEqual(r.code, 0);
    const badLine = lines.findIndex((l) => l.includes('"last":18000.25')) + 1;
    assert.match(r.stderr, new RegExp(`ERR_EVENT_MALFORMED.*line ${badLine}: field "last"`));
  });

  it('names the line of an unknown instrument and of an event out of time order', async () => {
    const good = lines.filter((l) => !l.includes('"last":18000.25'));
    const at = good.length - 50;
    const ts = (JSON.parse(good[at]!) as { ts: string }).ts;
    const cases: [string, string, RegExp][] = [
      [
        'unknown.ndjson',
        JSON.stringify({
          ts,
          type: 'fill',
          account: 'A1',
          orderId: 'zz',
          fillId: 'zz',
          symbol: 'ZZTOP',
          side: 'buy',
          qty: 1,
          price: '1',
        }),
        new RegExp(`ERR_INSTRUMENT_UNKNOWN: line ${at + 1}: fill zz: unknown instrument ZZTOP`),
      ],
      [
        'late.ndjson',
        JSON.stringify({ ts: '2026-01-05T00:00:00.000Z', type: 'clock' }),
        new RegExp(`ERR_EVENT_OUT_OF_ORDER: line ${at + 1}: field "ts": out of order`),
      ],
    ];
    for (const [name, bad, re] of cases) {
      const f = path.join(dir, name);
      writeFileSync(f, [...good.slice(0, at), bad, ...good.slice(at)].join('\n') + '\n');
      assert.ok(statSync(f).size >= WORKER_READ_MIN_BYTES, 'read on the worker thread');
      const r = await riskgate(['replay', f, '--config', path.join(dir, 'riskgate.yaml')]);
      assert.equal(r.code, 1, name);
      assert.match(r.stderr, re);
      rmSync(f);
    }
  });

  it('keeps no chunk of the file alive through ids and times the engine holds on to', async () => {
    // Order ids of 13+ characters, as brokers' UUIDs are: a plain slice of the chunk would keep
    // the whole chunk alive for as long as the engine keeps the id (working orders, RULE-006's log).
    const long = path.join(dir, 'long-ids.ndjson');
    writeFileSync(
      long,
      lines.map((l) => l.replace(/"orderId":"/g, '"orderId":"0123456789abcdef-0123456789-')).join('\n') + '\n',
    );
    const size = statSync(long).size;
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const engine = createEngine(configSchema.parse(parse(CONFIG + '    RULE-006: { perSession: 100000 }\n')));
    gc();
    const before = process.memoryUsage().heapUsed;
    await runReplay(engine, eventBatches(long, newReadStats(), { skipBad: true, worker: true }), {
      journal: new MemoryChain(),
    });
    gc();
    const kept = process.memoryUsage().heapUsed - before;
    assert.ok(engine.eventsProcessed > 100_000);
    // The engine's own state is ~5 MB here (day books, RULE-006's log); kept chunks were more than the file.
    assert.ok(kept < size / 2, `${(kept / 1e6).toFixed(1)} MB kept after replaying ${(size / 1e6).toFixed(1)} MB`);
  });
});
