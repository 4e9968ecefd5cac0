/**
 * The REST client of the dashboard: the same public API as any other client (DESIGN §6), with the
 * API key or JWT of the login. Errors arrive as ApiError with the catalogued code, and for a
 * pre-trade rejection the rules that refused the order.
 */
import type { Credentials } from './stream.ts';

export interface RuleRefusal {
  readonly rule: string;
  readonly code: string;
  readonly reason: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly rules: readonly RuleRefusal[] = [],
    readonly problems: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export class Api {
  constructor(
    private readonly creds: Credentials,
    private readonly base = '',
  ) {}

  get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PUT', path, body);
  }

  delete<T>(path: string): Promise<T> {
    return this.call<T>('DELETE', path);
  }

  /** A file of the API as a Blob, the credentials in headers (never in a URL a link would carry). */
  async blob(path: string): Promise<Blob> {
    let res: Response;
    try {
      res = await fetch(`${this.base}/api/v1${path}`, { headers: this.authHeaders() });
    } catch {
      throw new ApiError(0, 'ERR_API_UNREACHABLE', 'the server cannot be reached');
    }
    if (!res.ok) throw new ApiError(res.status, `HTTP_${res.status}`, res.statusText);
    return res.blob();
  }

  private authHeaders(): Record<string, string> {
    return 'apiKey' in this.creds
      ? { 'x-api-key': this.creds.apiKey }
      : { authorization: `Bearer ${this.creds.token}` };
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers = this.authHeaders();
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.base}/api/v1${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError(0, 'ERR_API_UNREACHABLE', 'the server cannot be reached');
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!res.ok) {
      const e = (json.error ?? {}) as Record<string, unknown>;
      throw new ApiError(
        res.status,
        String(e.code ?? `HTTP_${res.status}`),
        String(e.message ?? res.statusText),
        (e.rules as RuleRefusal[]) ?? [],
        (e.problems as { path: string; message: string }[]) ?? [],
      );
    }
    return json as T;
  }
}

/** Rule names in words, for messages a trader reads. */
export const RULE_NAMES: Record<string, string> = {
  'RULE-001': 'Max contracts',
  'RULE-002': 'Max contracts per instrument',
  'RULE-003': 'Daily loss limit',
  'RULE-004': 'Position loss limit',
  'RULE-005': 'Position profit target',
  'RULE-006': 'Trade frequency',
  'RULE-007': 'Cooldown after loss',
  'RULE-008': 'Stop-loss required',
  'RULE-009': 'Trading sessions',
  'RULE-010': 'Broker trading permission',
  'RULE-011': 'Blocked symbols',
  'RULE-012': 'Trade management',
  'RULE-013': 'Daily profit target',
  'RULE-014': 'Trailing drawdown',
  'RULE-015': 'Projected loss',
  'RULE-016': 'Order rate / size',
};

export function ruleName(rule: string): string {
  if (rule === 'ADMIN') return 'Admin';
  return RULE_NAMES[rule] ? `${RULE_NAMES[rule]} (${rule})` : rule;
}
