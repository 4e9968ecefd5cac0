import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLanes } from './lanes.ts';
import { VenueHttpError, VenuePolicy, isRetryable, parseRetryAfter, retryDelay } from './policy.ts';
import { isAppError } from '../../errors.ts';

const lanes = () => new RateLanes({ all: { capacity: 100, windowMs: 1000 } }, () => 'all');
const opts = {
  maxAttempts: 4,
  baseDelayMs: 100,
  maxDelayMs: 1000,
  maxRetryAfterMs: 30_000,
  timeoutMs: 1000,
  breakerThreshold: 5,
  halfOpenAfterMs: 1000,
  random: () => 0.5,
};

describe('retry rules', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    assert.equal(parseRetryAfter('2', 0), 2000);
    assert.equal(parseRetryAfter('0.25', 0), 250);
    assert.equal(parseRetryAfter(new Date(5000).toUTCString(), 1000), 4000);
    assert.equal(parseRetryAfter(null, 0), undefined);
    assert.equal(parseRetryAfter('soon', 0), undefined);
  });

  it('waits what Retry-After says, else exponential backoff with jitter, capped', () => {
    assert.equal(retryDelay(1, new VenueHttpError(429, 1500, 'slow down'), opts), 1500);
    assert.equal(retryDelay(1, new VenueHttpError(500, undefined, 'x'), opts), 50);
    assert.equal(retryDelay(3, new VenueHttpError(500, undefined, 'x'), opts), 200);
    assert.equal(retryDelay(10, new VenueHttpError(500, undefined, 'x'), opts), 500);
  });

  it('retries a new order only when the venue certainly did not process it', () => {
    assert.equal(isRetryable(new VenueHttpError(429, undefined, ''), false, 30_000), true);
    assert.equal(isRetryable(new VenueHttpError(500, undefined, ''), false, 30_000), false);
    assert.equal(isRetryable(new VenueHttpError(500, undefined, ''), true, 30_000), true);
    assert.equal(isRetryable(new VenueHttpError(400, undefined, ''), true, 30_000), false);
    assert.equal(isRetryable(new VenueHttpError(429, 60_000, ''), true, 30_000), false);
  });
});

describe('VenuePolicy', () => {
  it('retries a 429 after the Retry-After delay and succeeds', async () => {
    const p = new VenuePolicy(lanes(), { ...opts, baseDelayMs: 1 });
    const times: number[] = [];
    const r = await p.call({ path: 'x', priority: 'normal', idempotent: false }, async () => {
      times.push(Date.now());
      if (times.length < 2) throw new VenueHttpError(429, 120, 'too many');
      return 'ok';
    });
    assert.equal(r, 'ok');
    assert.ok((times[1] ?? 0) - (times[0] ?? 0) >= 110, 'waited for Retry-After');
  });

  it('turns a timed-out new order into ERR_BROKER_OUTCOME_UNKNOWN, sent once', async () => {
    const p = new VenuePolicy(lanes(), { ...opts, timeoutMs: 30 });
    let sent = 0;
    await assert.rejects(
      p.call({ path: 'Order/place', priority: 'normal', idempotent: false }, async (signal) => {
        sent++;
        await new Promise((r) => signal.addEventListener('abort', r));
        return 1;
      }),
      (e) => isAppError(e) && e.code === 'ERR_BROKER_OUTCOME_UNKNOWN',
    );
    assert.equal(sent, 1);
  });

  it('retries idempotent reads on 5xx, then gives ERR_BROKER_UNAVAILABLE', async () => {
    const p = new VenuePolicy(lanes(), { ...opts, baseDelayMs: 1 });
    let sent = 0;
    await assert.rejects(
      p.call({ path: 'Order/searchOpen', priority: 'normal', idempotent: true }, async () => {
        sent++;
        throw new VenueHttpError(503, undefined, 'down');
      }),
      (e) => isAppError(e) && e.code === 'ERR_BROKER_UNAVAILABLE',
    );
    assert.equal(sent, 4);
  });

  it('opens the circuit after repeated failures and fails fast', async () => {
    const p = new VenuePolicy(lanes(), { ...opts, maxAttempts: 1, breakerThreshold: 2, halfOpenAfterMs: 60_000 });
    let sent = 0;
    const fail = () =>
      p.call({ path: 'x', priority: 'normal', idempotent: true }, async () => {
        sent++;
        throw new VenueHttpError(500, undefined, 'boom');
      });
    await assert.rejects(fail());
    await assert.rejects(fail());
    await assert.rejects(fail(), /circuit open/);
    assert.equal(sent, 2);
  });
});
