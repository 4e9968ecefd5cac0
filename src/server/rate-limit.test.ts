/** The token buckets behind the API's rate limits: refill, tiers, lanes, bounded memory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { laneOf, RateLimiter } from './rate-limit.ts';

const trader = { id: 'k1', role: 'trader' as const, accounts: ['A1'] };

test('a bucket holds a minute of requests and refills continuously; Retry-After is the wait for one token', () => {
  let t = 0;
  const rl = new RateLimiter({ default: { perMinute: 60 } }, () => t);
  for (let i = 0; i < 60; i++) assert.deepEqual(rl.take(trader, 'general'), { ok: true });
  assert.deepEqual(rl.take(trader, 'general'), { ok: false, retryAfterSec: 1 });
  t += 500;
  assert.equal(rl.take(trader, 'general').ok, false, 'half a token');
  t += 500;
  assert.equal(rl.take(trader, 'general').ok, true);
  t += 3_600_000;
  for (let i = 0; i < 60; i++) assert.equal(rl.take(trader, 'general').ok, true, 'never more than a minute of burst');
  assert.equal(rl.take(trader, 'general').ok, false);
});

test('tiers by name, unknown tier = default; lanes and principals have their own buckets', () => {
  const rl = new RateLimiter({ default: { perMinute: 2 }, tiers: { pro: { perMinute: 4 } } }, () => 0);
  assert.equal(rl.perMinuteOf({ ...trader, tier: 'pro' }), 4);
  assert.equal(rl.perMinuteOf({ ...trader, tier: 'gold' }), 2);
  rl.take(trader, 'general');
  rl.take(trader, 'general');
  assert.deepEqual(rl.take(trader, 'general'), { ok: false, retryAfterSec: 30 });
  assert.equal(rl.take(trader, 'reserved').ok, true, 'a cancel still passes');
  assert.equal(rl.take({ ...trader, id: 'k2' }, 'general').ok, true);
});

test('cancel and flatten routes take the reserved lane; nothing else does', () => {
  assert.equal(laneOf('DELETE', '/api/v1/orders/:id'), 'reserved');
  assert.equal(laneOf('POST', '/api/v1/accounts/:id/flatten'), 'reserved');
  assert.equal(laneOf('POST', '/api/v1/orders'), 'general');
  assert.equal(laneOf('PATCH', '/api/v1/orders/:id'), 'general');
  assert.equal(laneOf('GET', '/api/v1/accounts/:id/flatten'), 'general');
  assert.equal(laneOf('DELETE', undefined), 'general');
});
