import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { isAppError } from '../errors.ts';
import { DataDirLock, lockOwner, lockPath } from './data-dir-lock.ts';

const dir = (): string => mkdtempSync(path.join(tmpdir(), 'rg-lock-'));
const locked = (e: unknown): boolean => isAppError(e) && e.code === 'ERR_STORE_LOCKED';

test('a held data dir refuses a second owner, naming the first; released, it can be taken again', () => {
  const d = dir();
  const first = DataDirLock.acquire(d, 'start --data-dir x');
  assert.equal(lockOwner(d)?.pid, process.pid);
  assert.throws(
    () => DataDirLock.acquire(d, 'admin lock'),
    (e: unknown) => locked(e) && /`riskgate start --data-dir x` \(pid \d+/.test((e as Error).message),
  );
  first.release();
  assert.equal(existsSync(lockPath(d)), false);
  DataDirLock.acquire(d, 'again').release();
});

test('a lock left by a dead process, or half written, is taken over; one from another host is respected', () => {
  const d = dir();
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(
    lockPath(d),
    JSON.stringify({ pid: Number(dead.stdout), host: hostname(), command: 'start', since: 'x' }),
  );
  const taken = DataDirLock.acquire(d, 'start');
  assert.equal(JSON.parse(readFileSync(lockPath(d), 'utf8')).pid, process.pid);
  taken.release();

  writeFileSync(lockPath(d), '{"pid":');
  DataDirLock.acquire(d, 'start').release();

  writeFileSync(lockPath(d), JSON.stringify({ pid: 1, host: 'another-host', command: 'start', since: 'x' }));
  assert.throws(() => DataDirLock.acquire(d, 'start'), locked);
});

test('release never removes a lock another process took over', () => {
  const d = dir();
  const mine = DataDirLock.acquire(d, 'start');
  writeFileSync(lockPath(d), JSON.stringify({ pid: 1, host: 'another-host', command: 'start', since: 'x' }));
  mine.release();
  assert.equal(existsSync(lockPath(d)), true);
});
