/**
 * Rate limits per principal (API key id or JWT `sub`), with tiers from `server.rateLimits`: a token
 * bucket holding a minute's worth of requests, refilled continuously. Cancels
 * (`DELETE /api/v1/orders/:id`) and flattens (`POST /api/v1/accounts/:id/flatten`) draw from a
 * bucket of their own, so a client that used up its budget on reads or new orders can still take
 * risk off (DESIGN §6, invariant 1). A refusal is 429 ERR_RATE_LIMITED with `Retry-After` (whole
 * seconds until a token is back). Unauthenticated routes (/health, /ready, /metrics, /docs) are not
 * limited: they never reach the trading node's commands.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../errors.ts';
import type { Principal } from './api-keys.ts';

export interface RateLimitConfig {
  readonly default: { readonly perMinute: number };
  readonly tiers?: Readonly<Record<string, { readonly perMinute: number }>>;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = { default: { perMinute: 600 }, tiers: {} };

/** `reserved`: risk-reducing requests (cancel, flatten); `general`: everything else. */
export type Lane = 'general' | 'reserved';

const RESERVED_ROUTES = new Set(['DELETE /api/v1/orders/:id', 'POST /api/v1/accounts/:id/flatten']);

export function laneOf(method: string, routeUrl: string | undefined): Lane {
  return routeUrl !== undefined && RESERVED_ROUTES.has(`${method} ${routeUrl}`) ? 'reserved' : 'general';
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Buckets kept before full (idle) ones are dropped: bounded memory whatever the number of JWT subjects. */
const MAX_BUCKETS = 10_000;

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly config: RateLimitConfig = DEFAULT_RATE_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Requests per minute of a principal's tier (an unknown tier gets the default). */
  perMinuteOf(p: Principal): number {
    return (p.tier !== undefined ? this.config.tiers?.[p.tier]?.perMinute : undefined) ?? this.config.default.perMinute;
  }

  /** Takes a token from the principal's bucket for the lane; when empty, the seconds until one is back. */
  take(p: Principal, lane: Lane): { ok: true } | { ok: false; retryAfterSec: number } {
    const perMinute = this.perMinuteOf(p);
    const perMs = perMinute / 60_000;
    const t = this.now();
    const key = `${lane}\u0000${p.id}`;
    let b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= MAX_BUCKETS) this.dropIdle(t);
      b = { tokens: perMinute, at: t };
      this.buckets.set(key, b);
    }
    b.tokens = Math.min(perMinute, b.tokens + Math.max(0, t - b.at) * perMs);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterSec: Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000)) };
  }

  private dropIdle(t: number): void {
    for (const [key, b] of this.buckets) {
      if (t - b.at >= 60_000) this.buckets.delete(key);
    }
  }
}

/** Limits every authenticated request; registered after auth, so the principal is known. */
export function registerRateLimits(app: FastifyInstance, limiter: RateLimiter): void {
  app.addHook('onRequest', async (req) => {
    const p = req.principal;
    if (!p) return;
    const lane = laneOf(req.method, req.routeOptions.url);
    const r = limiter.take(p, lane);
    if (!r.ok) {
      throw new AppError(
        'ERR_RATE_LIMITED',
        `rate limit of ${limiter.perMinuteOf(p)} requests per minute reached${lane === 'reserved' ? ' (cancel/flatten lane)' : ''}; retry in ${r.retryAfterSec} s`,
        { retryAfter: r.retryAfterSec },
      );
    }
  });
}
