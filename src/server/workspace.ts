/**
 * What traders keep beside their accounts (issues 14, 17): saved multi-leg strategies and chart
 * labels, in `<data dir>/workspace.db` — a SQLite file apart from the journal, like apikeys.db,
 * since neither is a trading fact the journal must prove. Each row is owned by an account (every
 * principal that may see the account may see it) or, without one, by the principal that made it
 * (only it and admins see it). Label changes are announced to listeners (the `labels` channel of
 * `GET /ws`).
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Principal } from './api-keys.ts';
import { maySee } from './auth.ts';

/** Who owns a saved item: an account, or the principal that made it. */
export interface Owner {
  readonly account: string | null;
  readonly createdBy: string;
}

export interface Saved<T> extends Owner {
  readonly id: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly body: T;
}

export type LabelChange = 'created' | 'updated' | 'deleted';
export type LabelListener = (change: LabelChange, label: Saved<LabelBody>) => void;

export interface LabelBody {
  readonly symbol: string;
  /** ISO time the label is at on the chart. */
  readonly time: string;
  readonly text: string;
  readonly price?: string;
  readonly color?: string;
  readonly kind?: string;
}

/** Whether a principal may see an item: admins all, others its account's or their own. */
export function mayRead(p: Principal, o: Owner): boolean {
  if (p.accounts === '*') return true;
  return o.account !== null ? maySee(p, o.account) : o.createdBy === p.id;
}

export function workspacePath(dataDir: string): string {
  return path.join(dataDir, 'workspace.db');
}

interface Row {
  id: string;
  account: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  body: string;
}

const TABLES = ['strategies', 'labels'] as const;
type Table = (typeof TABLES)[number];

/** One table of saved items: rows of JSON bodies with their owner. */
class SavedTable<T> {
  constructor(
    private readonly db: Database.Database,
    private readonly table: Table,
    private readonly prefix: string,
    private readonly now: () => number,
  ) {}

  create(owner: Owner, body: T): Saved<T> {
    const at = new Date(this.now()).toISOString();
    const id = `${this.prefix}_${randomBytes(8).toString('hex')}`;
    this.db
      .prepare(
        `INSERT INTO ${this.table} (id, account, created_by, created_at, updated_at, body) VALUES (?, ?, ?, ?, ?, ?)`,
      )
      .run(id, owner.account, owner.createdBy, at, at, JSON.stringify(body));
    return { id, ...owner, createdAt: at, updatedAt: at, body };
  }

  get(id: string): Saved<T> | undefined {
    const row = this.db.prepare(`SELECT * FROM ${this.table} WHERE id = ?`).get(id) as Row | undefined;
    return row && saved<T>(row);
  }

  /** Every row, oldest first; `account` narrows to one account's. */
  list(account?: string): Saved<T>[] {
    const rows = (
      account === undefined
        ? this.db.prepare(`SELECT * FROM ${this.table} ORDER BY created_at, id`).all()
        : this.db.prepare(`SELECT * FROM ${this.table} WHERE account = ? ORDER BY created_at, id`).all(account)
    ) as Row[];
    return rows.map((r) => saved<T>(r));
  }

  update(id: string, body: T): Saved<T> | undefined {
    const at = new Date(this.now()).toISOString();
    const r = this.db
      .prepare(`UPDATE ${this.table} SET body = ?, updated_at = ? WHERE id = ?`)
      .run(JSON.stringify(body), at, id);
    return r.changes > 0 ? this.get(id) : undefined;
  }

  delete(id: string): boolean {
    return this.db.prepare(`DELETE FROM ${this.table} WHERE id = ?`).run(id).changes > 0;
  }
}

function saved<T>(r: Row): Saved<T> {
  return {
    id: r.id,
    account: r.account,
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    body: JSON.parse(r.body) as T,
  };
}

export class Workspace {
  readonly strategies: SavedTable<object>;
  private readonly labelTable: SavedTable<LabelBody>;
  private readonly listeners = new Set<LabelListener>();

  private constructor(
    private readonly db: Database.Database,
    now: () => number,
  ) {
    this.strategies = new SavedTable(db, 'strategies', 'st', now);
    this.labelTable = new SavedTable(db, 'labels', 'lb', now);
  }

  static open(dataDir: string, now: () => number = Date.now): Workspace {
    mkdirSync(dataDir, { recursive: true });
    const file = workspacePath(dataDir);
    const fresh = !existsSync(file);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    for (const t of TABLES) {
      db.exec(`CREATE TABLE IF NOT EXISTS ${t} (
        id TEXT PRIMARY KEY, account TEXT, created_by TEXT NOT NULL, created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL, body TEXT NOT NULL)`);
      db.exec(`CREATE INDEX IF NOT EXISTS ${t}_account ON ${t} (account)`);
    }
    if (fresh) chmodSync(file, 0o600);
    return new Workspace(db, now);
  }

  /** Chart labels; every change is told to the listeners. */
  get labels(): Pick<SavedTable<LabelBody>, 'get' | 'list'> & {
    create(owner: Owner, body: LabelBody): Saved<LabelBody>;
    update(id: string, body: LabelBody): Saved<LabelBody> | undefined;
    delete(id: string): boolean;
  } {
    const t = this.labelTable;
    return {
      get: (id) => t.get(id),
      list: (account) => t.list(account),
      create: (owner, body) => this.tell('created', t.create(owner, body)),
      update: (id, body) => {
        const l = t.update(id, body);
        return l && this.tell('updated', l);
      },
      delete: (id) => {
        const l = t.get(id);
        if (!l || !t.delete(id)) return false;
        this.tell('deleted', l);
        return true;
      },
    };
  }

  /** Listens to label changes; the returned function stops. */
  onLabel(listener: LabelListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.listeners.clear();
    this.db.close();
  }

  private tell(change: LabelChange, label: Saved<LabelBody>): Saved<LabelBody> {
    for (const l of this.listeners) {
      try {
        l(change, label);
      } catch {
        // a listener's failure is its own; the change is made
      }
    }
    return label;
  }
}
