/**
 * DESIGN §1 invariant 3 / §5 ingest: a writer killed with SIGKILL mid-append leaves a journal
 * whose chain verifies, whose last record is complete, and whose committed source offset is
 * exactly its last record — nothing half-written, nothing committed without its offset.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import type { JournalRecord } from '../../src/store/journal.ts';
import { openSqliteJournal } from '../../src/store/sqlite/journal.ts';
import { verifyJournal } from '../../src/store/sqlite/verify.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const writer = fileURLToPath(new URL('./journal-crash-writer.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'riskgate-journal-crash-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Starts the writer, waits until it has committed once, lets it run `runMs`, then kill -9. */
async function killMidAppend(path: string, sync: 'FULL' | 'NORMAL', runMs: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, path, sync], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`writer exited early (${code}): ${stderr}`)));
  });
  await new Promise((r) => setTimeout(r, runMs));
  child.kill('SIGKILL');
  assert.equal(await exited, 'SIGKILL');
}

function assertConsistent(path: string): number {
  const verdict = verifyJournal(path);
  assert.ok(verdict.ok, `chain must verify after kill -9: ${JSON.stringify(verdict)}`);
  const journal = openSqliteJournal(path);
  const head = journal.head();
  assert.equal(head.seq, verdict.head.seq);
  let last: JournalRecord | undefined;
  for (const r of journal.iterate(Math.max(1, head.seq - 30))) last = r;
  assert.ok(last !== undefined && head.seq >= 25);
  const body = last.body as { seq: number; pad: string };
  assert.equal(body.seq, head.seq, 'the last record is the one its seq says');
  assert.equal(body.pad.length, 2000, 'the last record is complete');
  assert.equal(
    journal.getMeta('source.offset'),
    String(head.seq),
    'the offset was committed with the records, never apart',
  );
  journal.close();
  return head.seq;
}

describe('journal survives kill -9 of its writer', () => {
  it('given a writer killed mid-append, then reopening gives a valid chain ending in a complete record, and writing resumes', async () => {
    const path = join(dir, 'crash-full.db');
    await killMidAppend(path, 'FULL', 400);
    const first = assertConsistent(path);
    // Restart is just the start-up path: the same writer continues the chain, and is killed again.
    await killMidAppend(path, 'FULL', 250);
    const second = assertConsistent(path);
    assert.ok(second > first, `the restarted writer appended (${first} → ${second})`);
  });

  it('holds with synchronous=NORMAL too (a process crash loses nothing committed)', async () => {
    const path = join(dir, 'crash-normal.db');
    await killMidAppend(path, 'NORMAL', 300);
    assertConsistent(path);
  });
});
