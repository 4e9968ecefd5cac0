/**
 * The ProjectX Gateway REST client: POST /api/<Controller>/<action> with a JSON body and a
 * bearer session token, every answer checked against its schema and its `success` flag.
 *
 * Session: Auth/loginKey gives a token (a JWT; its `exp` is used when readable, else the
 * documented 24 h). Before it expires Auth/validate trades it for a new one; one refresh runs at a
 * time and every caller waits for it. A 401 (a token that died early) logs in again and sends the
 * request once more: a 401 means the venue did not process it, so that is safe even for orders.
 *
 * Requests go through the shared resilience policy (src/adapters/resilience): the venue's
 * published limits as rate lanes (History/retrieveBars 50 / 30 s, everything else 200 / 60 s),
 * with a reserve of the general lane kept for cancels and position closes.
 */
import type { z } from 'zod';
import { AppError } from '../../errors.ts';
import {
  RateLanes,
  VenueHttpError,
  VenuePolicy,
  parseRetryAfter,
  type LaneLimit,
  type PolicyOptions,
  type Priority,
} from '../resilience/index.ts';
import { unreadable, venueRefusal } from './errors.ts';
import { jsonBody } from './mapper.ts';
import { envelope, loginResponse, validateResponse } from './schemas.ts';

export const PRODUCTION_BASE_URL = 'https://api.topstepx.com';
const DAY_MS = 24 * 60 * 60 * 1000;

export const PROJECTX_LANES: Readonly<Record<string, LaneLimit>> = {
  history: { capacity: 50, windowMs: 30_000 },
  general: { capacity: 200, windowMs: 60_000, reserved: 20 },
};

const CRITICAL_PATHS = new Set(['Order/cancel', 'Position/closeContract', 'Position/partialCloseContract']);

export interface ProjectXClientOptions {
  readonly baseUrl?: string;
  readonly username: string;
  /** Read when logging in; the key itself is never stored on the client or logged. */
  readonly apiKey: () => string | Promise<string>;
  readonly policy?: PolicyOptions;
  readonly lanes?: Readonly<Record<string, LaneLimit>>;
  readonly now?: () => number;
  /** Refresh this long before the token expires (default 1 h). */
  readonly refreshBeforeMs?: number;
  /** The venue's clock (its HTTP `Date`) differing from ours by more than this is reported (default 5 s). */
  readonly clockSkewWarnMs?: number;
  /** Called when the skew crosses `clockSkewWarnMs` either way (value in ms, venue − ours). */
  readonly onClockSkew?: (skewMs: number, beyond: boolean) => void;
}

export interface PostOptions {
  readonly idempotent: boolean;
  readonly priority?: Priority;
}

class Unauthorized extends Error {}

/** `exp` of a JWT in ms, when the token is one and carries it. */
export function jwtExpiry(token: string): number | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    const claims = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

export class ProjectXClient {
  private readonly base: string;
  private readonly policy: VenuePolicy;
  private readonly lanes: RateLanes;
  private readonly now: () => number;
  private token: string | undefined;
  private expiresAt = 0;
  private refreshing: Promise<void> | undefined;
  /** Venue clock − ours (ms) from the latest answer's `Date`; undefined before the first. */
  clockSkewMs: number | undefined;
  private skewBeyond = false;

  constructor(private readonly o: ProjectXClientOptions) {
    this.base = `${(o.baseUrl ?? PRODUCTION_BASE_URL).replace(/\/+$/, '').replace(/\/api$/, '')}/api/`;
    this.now = o.now ?? Date.now;
    this.lanes = new RateLanes(
      o.lanes ?? PROJECTX_LANES,
      (p) => (p === 'History/retrieveBars' ? 'history' : 'general'),
      this.now,
    );
    this.policy = new VenuePolicy(this.lanes, o.policy);
  }

  /** The current session token (for the real-time hubs). */
  async sessionToken(): Promise<string> {
    await this.ensureSession();
    return this.token as string;
  }

  /**
   * A token checked with the venue now (Auth/validate, or a new login when it is refused): a hub
   * reconnecting after the session died early would be refused the old one again and again.
   */
  async freshToken(): Promise<string> {
    this.refreshing ??= this.renew(true).finally(() => {
      this.refreshing = undefined;
    });
    await this.refreshing;
    return this.token as string;
  }

  /** Whether the venue's clock is off ours by more than the threshold. */
  get clockSkewed(): boolean {
    return this.skewBeyond;
  }

  /**
   * The `Date` header has whole seconds: the venue's time lies in [date, date + 1 s), so its middle
   * is compared with our clock when the answer arrived.
   */
  private noteDate(header: string | null): void {
    const venue = header ? Date.parse(header) : NaN;
    if (Number.isNaN(venue)) return;
    const skew = venue + 500 - this.now();
    this.clockSkewMs = skew;
    const beyond = Math.abs(skew) > (this.o.clockSkewWarnMs ?? 5000);
    if (beyond !== this.skewBeyond) {
      this.skewBeyond = beyond;
      this.o.onClockSkew?.(skew, beyond);
    }
  }

  close(): void {
    this.lanes.close();
  }

  /** One API call: `path` like `Order/place`; the answer parsed with `schema`. */
  async post<S extends z.ZodType<z.infer<typeof envelope>>>(
    path: string,
    body: unknown,
    schema: S,
    opts: PostOptions,
  ): Promise<z.infer<S>> {
    await this.ensureSession();
    try {
      return await this.send(path, body, schema, opts, true);
    } catch (e) {
      if (!(e instanceof Unauthorized)) throw e;
      this.token = undefined;
      await this.ensureSession();
      try {
        return await this.send(path, body, schema, opts, true);
      } catch (again) {
        if (again instanceof Unauthorized)
          throw new AppError('ERR_BROKER_AUTH', `projectx ${path}: session refused after a fresh login`);
        throw again;
      }
    }
  }

  private async send<S extends z.ZodType<z.infer<typeof envelope>>>(
    path: string,
    body: unknown,
    schema: S,
    opts: PostOptions,
    authed: boolean,
  ): Promise<z.infer<S>> {
    const priority = opts.priority ?? (CRITICAL_PATHS.has(path) ? 'critical' : 'normal');
    const raw = await this.policy.call({ path, priority, idempotent: opts.idempotent }, async (signal) => {
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (authed && this.token) headers['authorization'] = `Bearer ${this.token}`;
      const res = await fetch(this.base + path, { method: 'POST', headers, body: jsonBody(body ?? {}), signal });
      this.noteDate(res.headers.get('date'));
      if (res.status === 401) throw new Unauthorized(path);
      if (!res.ok)
        throw new VenueHttpError(
          res.status,
          parseRetryAfter(res.headers.get('retry-after'), this.now()),
          `HTTP ${res.status}`,
        );
      return res.text();
    });
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw unreadable(path, 'not JSON');
    }
    const head = envelope.safeParse(json);
    if (!head.success) throw unreadable(path, head.error.issues[0]?.message ?? 'no envelope');
    if (!head.data.success) throw venueRefusal(path, head.data);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw unreadable(path, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'schema mismatch'}`);
    }
    return parsed.data;
  }

  private async ensureSession(): Promise<void> {
    const refreshBefore = this.o.refreshBeforeMs ?? 60 * 60 * 1000;
    if (this.token && this.now() < this.expiresAt - refreshBefore) return;
    this.refreshing ??= this.renew().finally(() => {
      this.refreshing = undefined;
    });
    await this.refreshing;
  }

  private async renew(checkNow = false): Promise<void> {
    if (this.token && (checkNow || this.now() < this.expiresAt)) {
      try {
        const v = await this.send(
          'Auth/validate',
          {},
          validateResponse,
          { idempotent: true, priority: 'critical' },
          true,
        );
        if (v.newToken) return this.adopt(v.newToken);
      } catch (e) {
        if (!(e instanceof Unauthorized) && !(e instanceof AppError && e.code === 'ERR_BROKER_AUTH')) throw e;
      }
    }
    const apiKey = await this.o.apiKey();
    let r;
    try {
      r = await this.send(
        'Auth/loginKey',
        { userName: this.o.username, apiKey },
        loginResponse,
        { idempotent: true, priority: 'critical' },
        false,
      );
    } catch (e) {
      if (e instanceof Unauthorized)
        throw new AppError('ERR_BROKER_AUTH', 'projectx Auth/loginKey: credentials refused');
      throw e;
    }
    if (!r.token) throw unreadable('Auth/loginKey', 'no token');
    this.adopt(r.token);
  }

  private adopt(token: string): void {
    this.token = token;
    this.expiresAt = jwtExpiry(token) ?? this.now() + DAY_MS;
  }
}
