import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLane } from './lanes.ts';

describe('RateLane', () => {
  it('never lets more than capacity requests into one window', () => {
    let t = 0;
    const lane = new RateLane({ capacity: 3, windowMs: 1000 }, () => t);
    assert.equal([1, 2, 3, 4].filter(() => lane.tryTake('normal')).length, 3);
    t = 999;
    assert.equal(lane.tryTake('normal'), false);
    t = 1000;
    assert.equal(lane.tryTake('normal'), true);
  });

  it('keeps the reserve for critical requests: new orders cannot take the last tokens', () => {
    const t = 0;
    const lane = new RateLane({ capacity: 5, windowMs: 1000, reserved: 2 }, () => t);
    let normal = 0;
    while (lane.tryTake('normal')) normal++;
    assert.equal(normal, 3);
    assert.equal(lane.tryTake('critical'), true);
    assert.equal(lane.tryTake('critical'), true);
    assert.equal(lane.tryTake('critical'), false);
  });

  it('serves a waiting cancel before earlier-queued new orders', async () => {
    const lane = new RateLane({ capacity: 2, windowMs: 60, reserved: 1 });
    assert.equal(lane.tryTake('normal'), true);
    assert.equal(lane.tryTake('critical'), true);
    const order: string[] = [];
    const waits = [
      lane.acquire('normal').then(() => order.push('new-1')),
      lane.acquire('normal').then(() => order.push('new-2')),
      lane.acquire('critical').then(() => order.push('cancel')),
    ];
    assert.equal(lane.queued, 3);
    await Promise.all(waits);
    assert.equal(order[0], 'cancel');
    lane.close();
  });

  it('a flood of new orders never delays a cancel while reserve tokens are left', async () => {
    const lane = new RateLane({ capacity: 10, windowMs: 10_000, reserved: 3 });
    const flood = Array.from({ length: 20 }, () => lane.acquire('normal'));
    void flood;
    const started = Date.now();
    await lane.acquire('critical');
    await lane.acquire('critical');
    assert.ok(Date.now() - started < 50, 'cancels went through at once');
    assert.equal(lane.queued, 13);
    lane.close();
  });
});
