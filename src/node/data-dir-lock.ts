/**
 * One owner per data dir: the process that writes a store holds `<dataDir>/riskgate.lock`, a
 * small JSON file created exclusively (O_EXCL) with its pid, command and start time. A second
 * writer gets a clear error naming the owner instead of interleaving appends into the journal
 * (which would kill both). A lock left by a process that died (kill -9, power loss) is taken over:
 * its pid no longer runs a node process. Readers (`trader status`, `report`, `journal verify`)
 * need no lock: SQLite's WAL lets them read committed records beside the writer.
 */
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { AppError } from '../errors.ts';

export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: string;
}

export function lockPath(dataDir: string): string {
  return path.join(dataDir, 'riskgate.lock');
}

/** The live owner of a data dir, if any (a stale lock file counts as none). */
export function lockOwner(dataDir: string): LockOwner | undefined {
  const owner = readOwner(lockPath(dataDir));
  return owner && isAlive(owner) ? owner : undefined;
}

/** Locks this process holds: a process that exits without closing its stores leaves none behind (kill -9 does; they are stale then). */
const held = new Set<DataDirLock>();
function releaseHeld(): void {
  for (const lock of [...held]) lock.release();
}

export class DataDirLock {
  private released = false;

  private constructor(
    readonly dataDir: string,
    readonly owner: LockOwner,
  ) {}

  /** Takes the data dir for this process, or throws ERR_STORE_LOCKED naming the running owner. */
  static acquire(dataDir: string, command: string, now: () => number = Date.now): DataDirLock {
    const file = lockPath(dataDir);
    const owner: LockOwner = { pid: process.pid, host: hostname(), command, since: new Date(now()).toISOString() };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o644);
        try {
          writeSync(fd, JSON.stringify(owner) + '\n');
        } finally {
          closeSync(fd);
        }
        const lock = new DataDirLock(dataDir, owner);
        held.add(lock);
        if (held.size === 1) process.once('exit', releaseHeld);
        return lock;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
          throw new AppError('ERR_JOURNAL_IO', `cannot create ${file}: ${(err as Error).message}`);
      }
      const current = readOwner(file);
      if (current && isAlive(current)) throw lockedError(dataDir, current);
      removeQuietly(file); // stale: its process is gone
    }
    throw lockedError(dataDir, readOwner(file));
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    held.delete(this);
    if (held.size === 0) process.removeListener('exit', releaseHeld);
    const file = lockPath(this.dataDir);
    if (readOwner(file)?.pid === this.owner.pid) removeQuietly(file);
  }
}

function lockedError(dataDir: string, owner: LockOwner | undefined): AppError {
  const who = owner
    ? `\`riskgate ${owner.command}\` (pid ${owner.pid} on ${owner.host}, since ${owner.since})`
    : 'another riskgate process';
  return new AppError(
    'ERR_STORE_LOCKED',
    `${dataDir} is in use by ${who}. Change a running gateway through it (its API), or stop it first; read-only commands (trader status, report, journal verify) work beside it.`,
    { dataDir, ...(owner ? { owner } : {}) },
  );
}

function readOwner(file: string): LockOwner | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const o = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof o.pid !== 'number') return undefined;
    return { pid: o.pid, host: String(o.host ?? ''), command: String(o.command ?? '?'), since: String(o.since ?? '?') };
  } catch {
    return undefined; // half-written by a process killed while creating it: stale
  }
}

/** A lock from another host is trusted as live (its pid means nothing here). */
function isAlive(owner: LockOwner): boolean {
  if (owner.host && owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return runsNode(owner.pid);
}

/**
 * A pid that is a zombie (killed, not yet reaped) or was reused for something that is not node
 * (after a reboot, in a container) does not hold the lock. Without /proc, trust the pid.
 */
function runsNode(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z') return false;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmdline === '' || cmdline.includes('node');
  } catch {
    return true;
  }
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
