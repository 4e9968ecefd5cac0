/**
 * The CLI's client of a running node's API. When `riskgate start` runs on a data dir (it holds the
 * data-dir lock and published `api.json` and `local-admin.key`, src/server/local-admin.ts), commands
 * that change the store (`admin lock|unlock`, `config apply`) go through its API instead of
 * opening the store, and `trader status` reads its live view. Without a running node they work
 * on the store as before.
 */
import { ERRORS, AppError, type ErrorCode } from '../errors.ts';
import { lockOwner } from '../node/data-dir-lock.ts';
import { readLocalAccess } from '../server/local-admin.ts';

export interface NodeApi {
  readonly url: string;
  request<T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<T>;
}

const TIMEOUT_MS = 15_000;

/** The API of the node running on the data dir, or undefined when none runs there (or it serves no API). */
export function runningNodeApi(dataDir: string): NodeApi | undefined {
  const owner = lockOwner(dataDir);
  if (!owner) return undefined;
  const access = readLocalAccess(dataDir);
  if (!access || access.api.pid !== owner.pid) return undefined;
  const { url } = access.api;
  return {
    url,
    async request<T>(method: string, route: string, body?: unknown): Promise<T> {
      let res: Response;
      try {
        res = await fetch(url + route, {
          method,
          headers: { 'x-api-key': access.key, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        });
      } catch (err) {
        const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
        throw new AppError(
          'ERR_API_UNREACHABLE',
          `${method} ${url}${route}: ${why} (the node on ${dataDir} is pid ${owner.pid}, \`riskgate ${owner.command}\`)`,
        );
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        throw new AppError('ERR_API_UNREACHABLE', `${method} ${url}${route}: HTTP ${res.status}, not a JSON answer`);
      }
      if (res.ok) return json as T;
      const e = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
      const code = e?.code && e.code in ERRORS ? (e.code as ErrorCode) : 'ERR_API_UNREACHABLE';
      throw new AppError(code, `${e?.message ?? `HTTP ${res.status}`} (from ${url})`);
    },
  };
}
