/**
 * The go-live checklist as values: given a store's days, gateway records, channels, deliveries
 * and chain, then which checks pass and what each missing one names.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoLive, goLiveCheck, type GoLiveInput } from './golive.ts';

const base: GoLiveInput = {
  account: 'A1',
  mode: 'shadow',
  dataDir: '/data',
  stage: 'paper',
  currentDay: '2026-03-06',
  requiredDays: 3,
  eventDays: ['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06'],
  records: [],
  dayOf: (ts) => ts.slice(0, 10),
  channels: ['ops', 'slack#2'],
  deliveries: { ops: { delivered: 4, failed: 0 }, 'slack#2': { delivered: 1, failed: 2 } },
  journal: { ok: true, detail: 'hash chain intact' },
};

const item = (input: GoLiveInput, id: string) => goLiveCheck(input).items.find((i) => i.id === id)!;

test('ready: enough complete clean days, every channel delivered, no mismatch, the chain intact', () => {
  const r = goLiveCheck(base);
  assert.equal(r.ready, true);
  assert.deepEqual([r.stage, r.next], ['paper', 'limited']);
  assert.equal(item(base, 'shadow_days').detail, '4 of 3 clean shadow day(s) (2026-03-02 … 2026-03-05)');
  assert.match(formatGoLive(r), /ready: every check passed/);
});

test('a day with a failed enforcement or a HALTED state is not clean; the day in progress never counts', () => {
  const input: GoLiveInput = {
    ...base,
    records: [
      { ts: '2026-03-03T15:00:00.000Z', kind: 'alert', body: { rule: 'RULE-003', reason: 'enforcement failed' } },
      { ts: '2026-03-04T15:00:00.000Z', kind: 'trading_state', body: { state: 'HALTED', reason: 'manual' } },
      { ts: '2026-03-05T15:00:00.000Z', kind: 'trading_state', body: { state: 'REDUCING', reason: 'lock' } },
    ],
  };
  const days = item(input, 'shadow_days');
  assert.equal(days.ok, false);
  assert.deepEqual(days.missing, [
    '2026-03-03: alert RULE-003: enforcement failed',
    '2026-03-04: HALTED: manual',
    '1 more complete shadow day(s) without unexpected decisions',
  ]);
});

test('an enforce-mode store has no shadow days; a mismatch counts until a return to ACTIVE', () => {
  assert.match(item({ ...base, mode: 'enforce' }, 'shadow_days').missing[0]!, /runs in enforce mode/);
  const mismatch = {
    ts: '2026-03-05T15:00:00.000Z',
    kind: 'alert',
    body: { rule: 'RECONCILE', reason: 'position mismatch MES' },
  };
  assert.equal(item({ ...base, records: [mismatch] }, 'reconciliation').ok, false);
  const cleared = {
    ts: '2026-03-05T15:01:00.000Z',
    kind: 'trading_state',
    body: { state: 'ACTIVE', reason: 'clean pass' },
  };
  assert.equal(item({ ...base, records: [mismatch, cleared] }, 'reconciliation').ok, true);
  assert.equal(
    item({ ...base, records: [cleared, mismatch] }, 'reconciliation').ok,
    false,
    'ACTIVE before it does not clear it',
  );
});

test('alerts: a channel that only failed, or no channel at all, is missing; a tampered journal is missing', () => {
  const failing = item(
    { ...base, deliveries: { ops: { delivered: 1, failed: 0 }, 'slack#2': { delivered: 0, failed: 5 } } },
    'alerts',
  );
  assert.deepEqual(failing.missing, ['slack#2: no alert delivered yet (5 failed)']);
  assert.match(item({ ...base, channels: [] }, 'alerts').missing[0]!, /configure alerts\.channels/);
  const tampered = goLiveCheck({
    ...base,
    journal: { ok: false, detail: 'journal tampered: first bad record seq=7 (changed)' },
  });
  assert.equal(tampered.ready, false);
  assert.match(formatGoLive(tampered), /MISSING journal: journal tampered/);
});
