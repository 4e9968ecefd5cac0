/**
 * marks_stale and budget sources: given quotes, positions and spending over time, then which
 * alerts are raised, once each until re-armed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../domain/money.ts';
import type { BusMessage } from '../node/bus.ts';
import { BudgetWatch, MarksWatch } from './watchers.ts';

const T0 = Date.parse('2026-03-03T15:00:00.000Z');
const quote = (symbol: string): BusMessage => ({ channel: 'quotes', symbol, ts: '', data: {} });
const positions = (account: string, list: { symbol: string; qty: number }[]): BusMessage => ({
  seq: 1,
  channel: 'positions',
  account,
  ts: '',
  data: { positions: list },
});

test('marks_stale: an open position without a quote for the threshold, once, re-armed by a quote', () => {
  const w = new MarksWatch(60_000);
  w.observe(quote('MES'), T0);
  w.observe(positions('A1', [{ symbol: 'MES', qty: 2 }]), T0 + 1_000);
  assert.deepEqual(w.check(T0 + 60_500), [], 'the watch starts when the position opens');
  const [a] = w.check(T0 + 61_000);
  assert.equal(a?.kind, 'marks_stale');
  assert.equal(a?.account, 'A1');
  assert.match(a!.message, /^MES: no quote for 60 s while a position is open/);
  assert.deepEqual(w.check(T0 + 120_000), [], 'once until re-armed');
  w.observe(quote('MES'), T0 + 130_000);
  assert.deepEqual(w.check(T0 + 150_000), []);
  assert.equal(w.check(T0 + 190_000).length, 1, 'a fresh quote re-arms it');
});

test('marks_stale: a flat account or a quoted symbol raises nothing', () => {
  const w = new MarksWatch(10_000);
  w.observe(positions('A1', [{ symbol: 'MES', qty: 1 }]), T0);
  w.observe(positions('A1', []), T0 + 5_000);
  for (let t = T0; t < T0 + 60_000; t += 5_000) w.observe(quote('ES'), t);
  w.observe(positions('A2', [{ symbol: 'ES', qty: -1 }]), T0);
  assert.deepEqual(w.check(T0 + 60_000), []);
});

test('budget: a warning at 80 % and a critical alert at 100 %, per UTC day and month, once each', () => {
  const w = new BudgetWatch({ daily: '8', monthly: '20' });
  assert.deepEqual(w.spend(parseFixed('6'), T0, 'market data'), []);
  const warn = w.spend(parseFixed('0.5'), T0);
  assert.deepEqual(
    warn.map((a) => [a.severity, a.data?.period]),
    [['warning', 'daily']],
  );
  assert.deepEqual(w.spend(parseFixed('0.1'), T0), [], 'once per level');
  const over = w.spend(parseFixed('2'), T0, 'market data');
  assert.deepEqual(
    over.map((a) => [a.severity, a.data?.period, a.data?.spent]),
    [['critical', 'daily', '8.6']],
  );
  assert.match(over[0]!.message, /market data: 8\.6 of the daily budget 8 \(2026-03-03\) reached/);
  const nextDay = w.spend(parseFixed('8'), T0 + 86_400_000);
  assert.deepEqual(
    nextDay.map((a) => [a.severity, a.data?.period]),
    [
      ['critical', 'daily'],
      ['warning', 'monthly'],
    ],
  );
  assert.deepEqual(new BudgetWatch(undefined).spend(parseFixed('1000'), T0), []);
});
