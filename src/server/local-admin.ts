/**
 * Local admin access to a running node, for the CLI on the same machine (`riskgate admin lock`,
 * `config apply`, `trader status` while `riskgate start` runs). On start the node creates a fresh
 * admin API key and writes it to `<data dir>/local-admin.key`, and its API address to
 * `<data dir>/api.json`, both readable by their owner only (0600): whoever may read the data dir's
 * secrets may already change the store. On stop the key is revoked and both files removed; a
 * crashed node's key is revoked by the next start.
 */
import { chmodSync, existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ApiKeyStore } from './api-keys.ts';

export const LOCAL_ADMIN_LABEL = 'local admin (riskgate start)';

export function localAdminKeyPath(dataDir: string): string {
  return path.join(dataDir, 'local-admin.key');
}

export function apiInfoPath(dataDir: string): string {
  return path.join(dataDir, 'api.json');
}

export interface ApiInfo {
  readonly url: string;
  readonly pid: number;
  readonly since: string;
}

/** Writes the local admin key and the API address; returns what undoes it at stop. */
export function publishLocalAccess(
  dataDir: string,
  url: string,
  keys: ApiKeyStore,
  now: () => number = Date.now,
): () => void {
  for (const k of keys.list()) if (k.label === LOCAL_ADMIN_LABEL && !k.revokedAt) keys.revoke(k.id, now);
  const { key, info } = keys.create({ role: 'admin', label: LOCAL_ADMIN_LABEL, now });
  writePrivate(localAdminKeyPath(dataDir), `${key}\n`);
  const api: ApiInfo = { url, pid: process.pid, since: new Date(now()).toISOString() };
  writePrivate(apiInfoPath(dataDir), `${JSON.stringify(api)}\n`);
  return () => {
    removeQuietly(apiInfoPath(dataDir));
    removeQuietly(localAdminKeyPath(dataDir));
    keys.revoke(info.id, now);
  };
}

/** The API address and local admin key of the node serving a data dir, if it published them. */
export function readLocalAccess(dataDir: string): { api: ApiInfo; key: string } | undefined {
  const apiFile = apiInfoPath(dataDir);
  const keyFile = localAdminKeyPath(dataDir);
  if (!existsSync(apiFile) || !existsSync(keyFile)) return undefined;
  try {
    const api = JSON.parse(readFileSync(apiFile, 'utf8')) as Partial<ApiInfo>;
    const key = readFileSync(keyFile, 'utf8').trim();
    if (typeof api.url !== 'string' || typeof api.pid !== 'number' || key === '') return undefined;
    return { api: { url: api.url, pid: api.pid, since: String(api.since ?? '') }, key };
  } catch {
    return undefined;
  }
}

/** Created 0600 under a temporary name, then renamed: never readable by others, never half-written. */
function writePrivate(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
