/**
 * The request policy every venue adapter shares, built on cockatiel: a rate-lane token, a
 * per-attempt timeout, retries with exponential backoff and full jitter (a venue's `Retry-After`
 * wins when it sends one), and a circuit breaker that fails fast while the venue is down.
 *
 * Idempotency decides what is retried. Reads and cancels are retried on 429, 5xx, network errors
 * and timeouts. A request that creates something (a new order) is retried only when the venue
 * certainly did not process it (429, connection refused); after a timeout or a 5xx its outcome is
 * unknown and the caller gets ERR_BROKER_OUTCOME_UNKNOWN, to resolve by querying, never by
 * sending the order again blind.
 */
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  TaskCancelledError,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  wrap,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from 'cockatiel';
import { AppError } from '../../errors.ts';
import type { Priority, RateLanes } from './lanes.ts';

/** A venue answered with a failing HTTP status. */
export class VenueHttpError extends Error {
  constructor(
    readonly status: number,
    /** From `Retry-After`, when the venue sent one. */
    readonly retryAfterMs: number | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'VenueHttpError';
  }
}

export interface PolicyOptions {
  /** Attempts in all, the first included (default 4). */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the call fails instead (default 30 s). */
  readonly maxRetryAfterMs?: number;
  /** Per attempt (default 10 s). */
  readonly timeoutMs?: number;
  /** Consecutive failed calls that open the breaker (default 5). */
  readonly breakerThreshold?: number;
  readonly halfOpenAfterMs?: number;
  /** [0, 1), injected so tests can pin the jitter. */
  readonly random?: () => number;
}

export interface CallOptions {
  readonly path: string;
  readonly priority: Priority;
  /** Safe to send twice (reads, cancels, modifies to absolute values). */
  readonly idempotent: boolean;
}

const RETRY_AFTER_MAX_DEFAULT = 30_000;

/** `Retry-After` as seconds or an HTTP date, in ms from `now`. */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const secs = Number(header);
  if (Number.isFinite(secs) && secs >= 0) return Math.round(secs * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Wait before retry `attempt` (1-based): the venue's Retry-After, else capped exponential × jitter. */
export function retryDelay(attempt: number, error: unknown, o: Required<PolicyOptions>): number {
  if (error instanceof VenueHttpError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  const cap = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(cap * o.random());
}

function isNetworkError(e: unknown): boolean {
  return e instanceof TypeError && /fetch failed|network|socket/i.test(e.message);
}

function notSent(e: unknown): boolean {
  const code = (e as { cause?: { code?: string } }).cause?.code;
  return isNetworkError(e) && code === 'ECONNREFUSED';
}

/** Whether another attempt is allowed after `e`. */
export function isRetryable(e: unknown, idempotent: boolean, maxRetryAfterMs: number): boolean {
  if (e instanceof VenueHttpError) {
    if (e.retryAfterMs !== undefined && e.retryAfterMs > maxRetryAfterMs) return false;
    if (e.status === 429) return true;
    return idempotent && (e.status >= 500 || e.status === 408);
  }
  if (notSent(e)) return true;
  return idempotent && (e instanceof TaskCancelledError || isNetworkError(e));
}

class VenueBackoff implements IBackoff<IRetryBackoffContext<unknown>> {
  constructor(
    private readonly o: Required<PolicyOptions>,
    readonly duration: number,
  ) {}

  next(ctx: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const err = 'error' in ctx.result ? ctx.result.error : undefined;
    return new VenueBackoff(this.o, retryDelay(ctx.attempt, err, this.o));
  }
}

class VenueBackoffFactory implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(private readonly o: Required<PolicyOptions>) {}
  next(ctx: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    return new VenueBackoff(this.o, 0).next(ctx);
  }
}

/** Turns what the policy let through into a catalogued error. */
export function toAppError(e: unknown, idempotent: boolean, path: string): unknown {
  if (e instanceof AppError) return e;
  if (e instanceof BrokenCircuitError)
    return new AppError('ERR_BROKER_UNAVAILABLE', `${path}: circuit open after repeated venue failures`);
  if (e instanceof VenueHttpError && e.status === 429)
    return new AppError('ERR_BROKER_RATE_LIMITED', `${path}: ${e.message}`);
  const unknownOutcome =
    !idempotent &&
    !notSent(e) &&
    (e instanceof TaskCancelledError || isNetworkError(e) || (e instanceof VenueHttpError && e.status >= 500));
  if (unknownOutcome)
    return new AppError('ERR_BROKER_OUTCOME_UNKNOWN', `${path}: ${(e as Error).message || 'timed out'}`);
  if (e instanceof TaskCancelledError) return new AppError('ERR_BROKER_UNAVAILABLE', `${path}: timed out`);
  if (e instanceof VenueHttpError || isNetworkError(e))
    return new AppError('ERR_BROKER_UNAVAILABLE', `${path}: ${(e as Error).message}`);
  return e;
}

export class VenuePolicy {
  private readonly o: Required<PolicyOptions>;
  private readonly breaker;

  constructor(
    private readonly lanes: RateLanes,
    options: PolicyOptions = {},
  ) {
    this.o = {
      maxAttempts: options.maxAttempts ?? 4,
      baseDelayMs: options.baseDelayMs ?? 200,
      maxDelayMs: options.maxDelayMs ?? 5_000,
      maxRetryAfterMs: options.maxRetryAfterMs ?? RETRY_AFTER_MAX_DEFAULT,
      timeoutMs: options.timeoutMs ?? 10_000,
      breakerThreshold: options.breakerThreshold ?? 5,
      halfOpenAfterMs: options.halfOpenAfterMs ?? 10_000,
      random: options.random ?? Math.random,
    };
    // Only venue trouble trips the breaker, not a rejected order or a bad request.
    const venueTrouble = handleWhen(
      (e) => (e instanceof VenueHttpError && e.status >= 500) || e instanceof TaskCancelledError || isNetworkError(e),
    );
    this.breaker = circuitBreaker(venueTrouble, {
      halfOpenAfter: this.o.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(this.o.breakerThreshold),
    });
  }

  /** Runs one venue call under the lane, retry, breaker and timeout rules. */
  async call<T>(opts: CallOptions, attempt: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const retryable = handleWhen((e) => isRetryable(e, opts.idempotent, this.o.maxRetryAfterMs));
    const policy = wrap(
      retry(retryable, { maxAttempts: this.o.maxAttempts - 1, backoff: new VenueBackoffFactory(this.o) }),
      this.breaker,
    );
    // Waiting for a rate-lane token is not venue slowness: the timeout covers the request only.
    const perAttempt = timeout(this.o.timeoutMs, TimeoutStrategy.Aggressive);
    try {
      return await policy.execute(async () => {
        await this.lanes.lane(opts.path).acquire(opts.priority);
        return perAttempt.execute(({ signal }) => attempt(signal));
      });
    } catch (e) {
      throw toAppError(e, opts.idempotent, opts.path);
    }
  }
}
