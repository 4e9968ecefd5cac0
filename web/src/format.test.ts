import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  band,
  countdown,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatTime,
  signOf,
  tradingDayOf,
} from './format.ts';

test('money keeps every digit of the decimal string, grouped, with the currency symbol', () => {
  assert.equal(formatMoney('-1234.5', 'USD'), '-$1,234.50');
  assert.equal(formatMoney('1000', 'USD'), '$1,000.00');
  assert.equal(formatMoney('12345678901234567.125', 'USD'), '$12,345,678,901,234,567.125');
  assert.equal(formatMoney('-0', 'USD'), '$0.00');
  assert.equal(formatMoney('7.5', 'EUR'), '€7.50');
  assert.equal(formatMoney(null), '—');
  assert.equal(formatNumber('1404.25'), '1,404.25');
  assert.equal(formatNumber(-3), '-3');
});

test('signs and colour bands follow the 50/70/85/100 % thresholds', () => {
  assert.equal(signOf('-0.01'), 'neg');
  assert.equal(signOf('0.00'), 'zero');
  assert.equal(signOf('12'), 'pos');
  assert.deepEqual([0, 49.9, 50, 70, 84.9, 85, 100, 130].map(band), [
    'ok',
    'ok',
    'b50',
    'b70',
    'b70',
    'b85',
    'b100',
    'b100',
  ]);
});

test('times are shown in the trading time zone; countdowns count whole seconds down to zero', () => {
  assert.equal(formatTime('2026-12-07T15:04:05Z', 'America/Chicago'), '09:04:05');
  assert.equal(formatDateTime('2026-12-07T03:04:05Z', 'America/Chicago'), '2026-12-06, 21:04:05');
  const now = Date.parse('2026-12-07T15:00:00Z');
  assert.equal(countdown('2026-12-07T17:05:09Z', now), '2h 05m 09s');
  assert.equal(countdown('2026-12-07T15:04:03Z', now), '4m 03s');
  assert.equal(countdown('2026-12-07T15:00:12Z', now), '12s');
  assert.equal(countdown('2026-12-07T14:00:00Z', now), '0s');
});

test('the trading day turns at the reset time of the trading time zone', () => {
  assert.equal(tradingDayOf('2026-12-07T22:59:59Z', 'America/Chicago', '17:00'), '2026-12-07');
  assert.equal(tradingDayOf('2026-12-07T23:00:00Z', 'America/Chicago', '17:00'), '2026-12-08');
  assert.equal(tradingDayOf('2026-12-31T23:30:00Z', 'America/Chicago', '17:00'), '2027-01-01');
  assert.equal(tradingDayOf('2026-12-07T23:00:00Z', 'America/Chicago', '00:00'), '2026-12-07');
});
