/**
 * API keys (DESIGN §6): stored only as salted scrypt hashes, in `<data dir>/apikeys.db` — a
 * SQLite file apart from the journal, so `riskgate admin apikey create|list|revoke` works whether
 * or not a node runs on the data dir (the node reads keys from the same file; a revoked key stops
 * working at its next request). A key is `rg_<id>_<secret>`: the id finds the row, the secret is
 * checked against its hash in constant time. The file is readable by its owner only.
 */
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../errors.ts';

export const ROLES = ['admin', 'trader', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

/** Who is asking: a role and the accounts it may see (`'*'` = all, admins). */
export interface Principal {
  readonly id: string;
  readonly role: Role;
  readonly accounts: readonly string[] | '*';
  /** Rate-limit tier (config `server.rateLimits.tiers`), default `default`. */
  readonly tier?: string;
}

export interface ApiKeyInfo {
  readonly id: string;
  readonly role: Role;
  readonly accounts: readonly string[] | '*';
  readonly label: string | null;
  readonly tier: string | null;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

const SCRYPT = { N: 16384, r: 8, p: 1 } as const;

export function apiKeysPath(dataDir: string): string {
  return path.join(dataDir, 'apikeys.db');
}

export class ApiKeyStore {
  private readonly db: Database.Database;
  /** Verified keys by full key text: scrypt is slow on purpose, requests must not pay it each time. */
  private readonly verified = new Map<string, { principal: Principal; checkedAt: number }>();
  /** Prepared once: every request looks its key up (a revoked key stops working at once). */
  private byId: Database.Statement | undefined;

  private constructor(db: Database.Database) {
    this.db = db;
  }

  static open(dataDir: string): ApiKeyStore {
    mkdirSync(dataDir, { recursive: true });
    const file = apiKeysPath(dataDir);
    const fresh = !existsSync(file);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(`CREATE TABLE IF NOT EXISTS api_keys (
      id TEXT PRIMARY KEY, salt BLOB NOT NULL, hash BLOB NOT NULL, role TEXT NOT NULL,
      accounts TEXT NOT NULL, label TEXT, tier TEXT, created_at TEXT NOT NULL, revoked_at TEXT)`);
    if (fresh) chmodSync(file, 0o600);
    return new ApiKeyStore(db);
  }

  /** Creates a key; the returned text is the only time it exists outside a hash. */
  create(opts: { role: Role; accounts?: readonly string[]; label?: string; tier?: string; now?: () => number }): {
    key: string;
    info: ApiKeyInfo;
  } {
    if (!ROLES.includes(opts.role)) throw new AppError('ERR_INPUT_INVALID', `role: one of ${ROLES.join(', ')}`);
    if (opts.role !== 'admin' && (!opts.accounts || opts.accounts.length === 0))
      throw new AppError(
        'ERR_INPUT_INVALID',
        `accounts: a ${opts.role} key needs the accounts it may see (--accounts A1,A2)`,
      );
    const id = randomBytes(6).toString('hex');
    const secret = randomBytes(24).toString('base64url');
    const salt = randomBytes(16);
    const hash = scryptSync(secret, salt, 32, SCRYPT);
    const accounts = opts.role === 'admin' ? '*' : [...new Set(opts.accounts)];
    const createdAt = new Date((opts.now ?? Date.now)()).toISOString();
    this.db
      .prepare(
        'INSERT INTO api_keys (id, salt, hash, role, accounts, label, tier, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(id, salt, hash, opts.role, JSON.stringify(accounts), opts.label ?? null, opts.tier ?? null, createdAt);
    return {
      key: `rg_${id}_${secret}`,
      info: {
        id,
        role: opts.role,
        accounts,
        label: opts.label ?? null,
        tier: opts.tier ?? null,
        createdAt,
        revokedAt: null,
      },
    };
  }

  list(): ApiKeyInfo[] {
    const rows = this.db
      .prepare('SELECT id, role, accounts, label, tier, created_at, revoked_at FROM api_keys ORDER BY created_at, id')
      .all() as Row[];
    return rows.map(info);
  }

  /** Revokes a key by id; false when there is no such key. */
  revoke(id: string, now: () => number = Date.now): boolean {
    const r = this.db
      .prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL')
      .run(new Date(now()).toISOString(), id);
    this.verified.clear();
    return r.changes > 0 || this.list().some((k) => k.id === id);
  }

  /** The principal of a key, or undefined when it is unknown, wrong or revoked. */
  verify(key: string, now: number = Date.now()): Principal | undefined {
    const m = /^rg_([0-9a-f]{12})_([A-Za-z0-9_-]{32})$/.exec(key);
    if (!m) return undefined;
    this.byId ??= this.db.prepare(
      'SELECT id, salt, hash, role, accounts, label, tier, created_at, revoked_at FROM api_keys WHERE id = ?',
    );
    const row = this.byId.get(m[1]) as (Row & { salt: Buffer; hash: Buffer }) | undefined;
    if (!row || row.revoked_at) {
      this.verified.delete(key);
      return undefined;
    }
    const cached = this.verified.get(key);
    if (cached) return cached.principal;
    const hash = scryptSync(m[2]!, row.salt, 32, SCRYPT);
    if (!timingSafeEqual(hash, row.hash)) return undefined;
    const k = info(row);
    const principal: Principal = { id: k.id, role: k.role, accounts: k.accounts, ...(k.tier ? { tier: k.tier } : {}) };
    this.verified.set(key, { principal, checkedAt: now });
    return principal;
  }

  close(): void {
    this.db.close();
  }
}

interface Row {
  id: string;
  role: Role;
  accounts: string;
  label: string | null;
  tier: string | null;
  created_at: string;
  revoked_at: string | null;
}

function info(r: Row): ApiKeyInfo {
  return {
    id: r.id,
    role: r.role,
    accounts: JSON.parse(r.accounts) as string[] | '*',
    label: r.label,
    tier: r.tier,
    createdAt: r.created_at,
    revokedAt: r.revoked_at,
  };
}
