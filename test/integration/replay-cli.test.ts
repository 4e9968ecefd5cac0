/** `riskgate replay` on bad input: errors name the line and field; --skip-bad reports counts. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'rg-cli-'));
const riskgate = (...args: string[]) =>
  spawnSync('node', ['bin/riskgate.mjs', ...args], { cwd: root, encoding: 'utf8' });

const good =
  '{"ts":"2026-04-07T13:31:00.000Z","type":"fill","account":"A1","orderId":"b1","fillId":"f1","symbol":"MNQ","side":"buy","qty":1,"price":"18000.00"}';
function file(name: string, lines: string[]): string {
  const p = path.join(dir, name);
  writeFileSync(p, lines.join('\n') + '\n');
  return p;
}

test('a malformed line fails the replay naming its line number and field', () => {
  const cases: [string, RegExp][] = [
    [
      '{"ts":"2026-04-07T13:32:00.000Z","type":"fill","account":"A1","orderId":"b2","symbol":"MNQ","side":"buy","qty":1,"price":18000.5}',
      /line 2: field "price": expected a decimal string/,
    ],
    ['{"ts":"2026-04-07T13:32:00.000Z","type":"trade"}', /ERR_EVENT_UNKNOWN_TYPE: line 2: field "type"/],
    ['{"ts":"yesterday","type":"clock"}', /line 2: field "ts"/],
    ['{not json', /line 2: invalid JSON/],
    ['{"ts":"2026-04-07T13:30:00.000Z","type":"clock"}', /line 2: field "ts": out of order/],
    [
      '{"ts":"2026-04-07T13:32:00.000Z","type":"fill","account":"A1","orderId":"b2","symbol":"MNQ","side":"buy","qty":-1,"price":"1"}',
      /line 2: field "qty": must be positive/,
    ],
  ];
  for (const [bad, re] of cases) {
    const r = riskgate('replay', file('bad.ndjson', [good, bad]));
    assert.equal(r.status, 1, bad);
    assert.match(r.stderr, re);
  }
});

test('--skip-bad skips and counts bad lines, naming each skipped line and its error; events counts only good ones', () => {
  const r = riskgate(
    'replay',
    file('skip.ndjson', [
      good,
      '{oops',
      '',
      '{"ts":"2026-04-07T13:33:00.000Z","type":"nope"}',
      '{"ts":"2026-04-07T13:34:00.000Z","type":"clock"}',
    ]),
    '--skip-bad',
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).events, 2);
  assert.match(
    r.stderr,
    /^replay: skipped 2 bad line\(s\): 2 \(ERR_EVENT_MALFORMED: invalid JSON [^\n]*\), 4 \(ERR_EVENT_UNKNOWN_TYPE: field "type": unknown event type "nope"\)$/m,
  );
});

test('--skip-bad lists the first 10 skipped lines and counts the rest', () => {
  const lines = [good, ...Array.from({ length: 13 }, (_, i) => `{bad ${i}`)];
  const r = riskgate('replay', file('many-bad.ndjson', lines), '--skip-bad');
  assert.equal(r.status, 0, r.stderr);
  const summary = r.stderr.split('\n').find((l) => l.startsWith('replay: skipped')) ?? '';
  assert.match(summary, /^replay: skipped 13 bad line\(s\): 2 \(ERR_EVENT_MALFORMED/);
  assert.deepEqual(
    [...summary.matchAll(/(?:: |, )(\d+) \(/g)].map((m) => Number(m[1])),
    [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
  );
  assert.match(summary, /, … and 3 more$/);
});

test('replay without --config warns on stderr that no rules are active, and still exits 0', () => {
  const events = file('norules.ndjson', [good]);
  const bare = riskgate('replay', events);
  assert.equal(bare.status, 0, bare.stderr);
  assert.match(bare.stderr, /^replay: no --config given: no risk rules are active$/m);
  const cfg = path.join(dir, 'rules.yaml');
  writeFileSync(cfg, 'risk: { rules: { RULE-004: { limit: "100" } } }\n');
  const ruled = riskgate('replay', events, '--config', cfg);
  assert.equal(ruled.status, 0, ruled.stderr);
  assert.doesNotMatch(ruled.stderr, /no --config/);
});

test('a directory as the event file is one catalogued error (replay, ingest, dbn dump), never a stack trace', () => {
  for (const args of [
    ['replay', dir],
    ['ingest', dir, '--data-dir', path.join(dir, 'store')],
    ['dbn', 'dump', dir],
  ]) {
    const r = riskgate(...args);
    assert.equal(r.status, 1, args.join(' '));
    assert.match(
      r.stderr,
      /^riskgate: ERR_FILE_READ: (event|DBN) file .* is a directory, not a file\n$/,
      args.join(' '),
    );
  }
});

test('--out and --journal into a missing directory create it; an output path that is a directory is an error', () => {
  const events = file('out.ndjson', [
    good,
    '{"ts":"2026-04-07T13:32:00.000Z","type":"quote","symbol":"MNQ","last":"17900"}',
  ]);
  const cfg = path.join(dir, 'loss.yaml');
  writeFileSync(cfg, 'risk: { rules: { RULE-004: { limit: "100" } } }\n');
  const out = path.join(dir, 'new', 'deeper', 'decisions.ndjson');
  const db = path.join(dir, 'new', 'journals', 'day.db');
  const r = riskgate('replay', events, '--config', cfg, '--out', out, '--journal', db);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(readFileSync(out, 'utf8').trim().split('\n')[0] ?? '{}').rule, 'RULE-004');
  assert.equal(riskgate('journal', 'verify', db).status, 0);
  const intoDir = riskgate('replay', events, '--out', dir);
  assert.equal(intoDir.status, 1);
  assert.match(intoDir.stderr, /^riskgate: ERR_FILE_WRITE: --out file .* is a directory, not a file$/m);
});

test('an unknown instrument in a fill is an error naming the symbol and the line', () => {
  const r = riskgate('replay', file('unk.ndjson', [good, '', good.replace('MNQ', 'ZZTOP').replace('"f1"', '"f2"')]));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ERR_INSTRUMENT_UNKNOWN: line 3: fill f2: unknown instrument ZZTOP/);
});

test('an event earlier than the one before is ERR_EVENT_OUT_OF_ORDER naming the line', () => {
  const r = riskgate(
    'replay',
    file('ooo.ndjson', [
      good,
      good.replace('13:31', '13:35').replace('"f1"', '"f2"'),
      good.replace('13:31', '13:34').replace('"f1"', '"f3"'),
    ]),
  );
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ERR_EVENT_OUT_OF_ORDER: line 3: field "ts": out of order/);
});

test('instrument events and config instruments define new symbols; --out writes decisions', () => {
  const events = file('btc.ndjson', [
    '{"ts":"2026-04-07T00:00:00.000Z","type":"instrument","symbol":"ETHUSD","tickSize":"0.01","tickValue":"0.01"}',
    '{"ts":"2026-04-07T13:31:00.000Z","type":"fill","account":"C","orderId":"1","fillId":"1","symbol":"BTCUSD","side":"buy","qty":"0.5","price":"60000"}',
    '{"ts":"2026-04-07T13:32:00.000Z","type":"fill","account":"C","orderId":"2","fillId":"2","symbol":"ETHUSD","side":"buy","qty":"1.25","price":"3000"}',
    '{"ts":"2026-04-07T13:33:00.000Z","type":"quote","symbol":"BTCUSD","last":"59000"}',
  ]);
  const cfg = path.join(dir, 'btc.yaml');
  writeFileSync(
    cfg,
    'timezone: UTC\nresetTime: "00:00"\ninstruments: [ { symbol: BTCUSD, tickSize: "0.01", tickValue: "0.01" } ]\nrisk: { rules: { RULE-004: { limit: "100" } } }\n',
  );
  const out = path.join(dir, 'decisions.ndjson');
  const r = riskgate('replay', events, '--config', cfg, '--out', out);
  assert.equal(r.status, 0, r.stderr);
  const rep = JSON.parse(r.stdout);
  assert.deepEqual(rep.accounts.C.positions.BTCUSD, { qty: '0.5', avgPrice: '60000', unrealizedPnl: '-500' });
  assert.equal(rep.accounts.C.positions.ETHUSD.qty, '1.25');
  const decisions = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(decisions.length, 1);
  assert.equal(decisions[0].rule, 'RULE-004');
  assert.equal(decisions[0].symbol, 'BTCUSD');
});

test('config validate lists every problem by path and exits 1; a valid file exits 0', () => {
  const bad = path.join(dir, 'bad.yaml');
  writeFileSync(bad, 'resetTime: "25:00"\nrisk:\n  rules:\n    RULE-003: { limit: 500.5 }\n    RULE-999: {}\n');
  const r = riskgate('config', 'validate', bad);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^resetTime: /m);
  assert.match(r.stdout, /^risk\.rules: .*RULE-999/m);
  assert.match(r.stdout, /^risk\.rules\.RULE-003\.limit: fractional number 500\.5 .*quote it/m);
  const ok = riskgate('config', 'validate', path.join(root, 'riskgate.example.yaml'));
  assert.equal(ok.status, 0, ok.stdout);
});

test('replay of a Databento DBN file feeds its quotes through the engine', () => {
  const dbn = path.resolve(root, '../shared/data/dbn/test_data.mbp-1.v3.dbn.zst');
  const dumped = spawnSync('node', ['bin/riskgate.mjs', 'dbn', 'dump', dbn], { cwd: root, encoding: 'utf8' })
    .stdout.trim()
    .split('\n');
  const r = riskgate('replay', dbn);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.events, dumped.length);
  assert.deepEqual(report.accounts, {});
});

test('replay --journal writes a verifiable journal whose head is the report hash (same as without)', () => {
  const ex = path.resolve(root, '../shared/data/replay-examples/basic-day');
  const db = path.join(dir, 'replay-journal.db');
  const withJournal = riskgate(
    'replay',
    path.join(ex, 'events.ndjson'),
    '--config',
    path.join(ex, 'config.yaml'),
    '--journal',
    db,
  );
  assert.equal(withJournal.status, 0, withJournal.stderr);
  const without = riskgate('replay', path.join(ex, 'events.ndjson'), '--config', path.join(ex, 'config.yaml'));
  const hash = JSON.parse(withJournal.stdout).hash;
  assert.equal(JSON.parse(without.stdout).hash, hash);
  const verify = riskgate('journal', 'verify', db);
  assert.equal(verify.status, 0, verify.stdout + verify.stderr);
  assert.match(verify.stdout, new RegExp(`head ${hash}`));
  const again = riskgate(
    'replay',
    path.join(ex, 'events.ndjson'),
    '--config',
    path.join(ex, 'config.yaml'),
    '--journal',
    db,
  );
  assert.equal(again.status, 1, 'an existing journal is never overwritten');
  assert.match(again.stderr, /already exists/);
});
