/**
 * `riskgate journal export` (issue 18): the records of a date range with their chain hashes, the
 * anchor and the head, as NDJSON or CSV; an auditor recomputes every hash and link from the export
 * alone, and a changed record or a gap is found.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { openSqliteJournal } from '../../src/store/sqlite/journal.ts';
import { verifyAuditExport } from '../../src/store/sqlite/export.ts';

const bin = fileURLToPath(new URL('../../bin/riskgate.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'riskgate-journal-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const riskgate = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

/** Three days of records, four a day, one of them without an account. */
function threeDays(name: string): string {
  const path = join(dir, name);
  const j = openSqliteJournal(path);
  for (const day of ['2026-03-02', '2026-03-03', '2026-03-04'])
    for (let h = 10; h < 14; h++)
      j.append({
        ts: `${day}T${h}:00:00.000Z`,
        kind: h === 13 ? 'config' : 'event',
        ...(h === 13 ? {} : { account: 'A1' }),
        body: { type: 'quote', symbol: 'MES', last: `${5000 + h}.25`, note: 'a, "quoted" cell' },
      });
  j.commit();
  j.close();
  return path;
}

test('NDJSON: the range’s records, anchored to the record before them, verify; a changed body or a gap does not', () => {
  const file = threeDays('ndjson.db');
  const r = riskgate('journal', 'export', file, '--from', '2026-03-03', '--to', '2026-03-03');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /exported 4 record\(s\) from 2026-03-03T00:00:00.000Z to 2026-03-04T00:00:00.000Z/);
  const lines = r.stdout.trim().split('\n');
  const meta = JSON.parse(lines[0]!);
  assert.equal(meta.records, 4);
  assert.equal(meta.anchor.seq, 4);
  assert.equal(meta.last.seq, 8);
  assert.equal(meta.head.seq, 12);
  assert.deepEqual(
    lines.slice(1).map((l) => JSON.parse(l).seq),
    [5, 6, 7, 8],
  );
  assert.equal(verifyAuditExport(r.stdout), undefined);
  assert.match(verifyAuditExport(r.stdout.replace('5011.25', '5011.50'))!, /seq 6: hash mismatch/);
  const gap = [lines[0], lines[1], lines[3], lines[4]].join('\n');
  assert.match(verifyAuditExport(gap)!, /seq 7: does not link/);
});

test('CSV: the chain heads as comment lines, then one row per record with its body quoted', () => {
  const file = threeDays('csv.db');
  const r = riskgate(
    'journal',
    'export',
    file,
    '--from',
    '2026-03-04T11:00:00Z',
    '--to',
    '2026-03-05',
    '--format',
    'csv',
  );
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[1]!, /^# anchor seq=9 hash=[0-9a-f]{64}$/);
  assert.match(lines[3]!, /^# head seq=12 hash=[0-9a-f]{64}$/);
  assert.equal(lines[4], 'seq,ts,kind,account,prevHash,hash,body');
  assert.equal(lines.length, 5 + 3);
  assert.match(
    lines[5]!,
    /^10,2026-03-04T11:00:00.000Z,event,A1,[0-9a-f]{64},[0-9a-f]{64},"\{.*""a, \\""quoted\\"" cell"".*\}"$/,
  );
  const bad = riskgate('journal', 'export', file, '--from', '2026-03-05', '--to', '2026-03-04');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /ERR_INPUT_INVALID: --to: must be after --from/);
});
