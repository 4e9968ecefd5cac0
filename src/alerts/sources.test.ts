import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeBus, type BusMessage } from '../node/bus.ts';
import { silentLogger } from '../node/logger.ts';
import { httpReceiver } from '../../test/fixtures/alert-receivers.ts';
import { alertsSection } from './config.ts';
import { startAlerts } from './index.ts';
import { BusAlertSource } from './sources.ts';

const TS = '2026-03-02T15:00:00.000Z';

function risk(
  account: string,
  tradingDay: string,
  usedPct: Record<string, number>,
  extra: Record<string, unknown> = {},
): BusMessage {
  const distances = Object.entries(usedPct).map(([rule, pct]) => ({
    rule,
    value: String(pct * 5),
    limit: '500',
    remaining: String(500 - pct * 5),
    usedPct: pct,
  }));
  return {
    seq: 1,
    channel: 'risk',
    account,
    ts: TS,
    data: { state: 'ACTIVE', stateReasons: [], tradingDay, locks: [], distances, ...extra },
  };
}

const msg = (
  channel: 'violations' | 'locks' | 'enforcements' | 'state',
  data: Record<string, unknown>,
  account = 'A1',
): BusMessage => ({ seq: 1, channel, account, ts: TS, data });

describe('alerts from the node bus', () => {
  it('distance ladder: each of 50/70/85/100 % once per rule per trading day, again the next day', () => {
    const src = new BusAlertSource();
    const levels = (m: BusMessage) =>
      src
        .alertsOf(m)
        .filter((a) => a.kind === 'distance')
        .map((a) => `${a.rule}@${String(a.data?.level)}/${a.severity}`);
    assert.deepEqual(levels(risk('A1', '2026-03-02', { 'RULE-003': 49.9, 'RULE-001': 20 })), []);
    assert.deepEqual(levels(risk('A1', '2026-03-02', { 'RULE-003': 50, 'RULE-001': 20 })), ['RULE-003@50/info']);
    assert.deepEqual(levels(risk('A1', '2026-03-02', { 'RULE-003': 60, 'RULE-001': 20 })), []);
    assert.deepEqual(
      levels(risk('A1', '2026-03-02', { 'RULE-003': 40, 'RULE-001': 20 })),
      [],
      'falling back does not re-arm a level',
    );
    assert.deepEqual(levels(risk('A1', '2026-03-02', { 'RULE-003': 55, 'RULE-001': 20 })), []);
    assert.deepEqual(
      levels(risk('A1', '2026-03-02', { 'RULE-003': 88, 'RULE-001': 71 })),
      ['RULE-003@85/warning', 'RULE-001@70/info'],
      'a jump reports the highest level crossed',
    );
    assert.deepEqual(
      levels(risk('A1', '2026-03-02', { 'RULE-003': 72, 'RULE-001': 71 })),
      [],
      'a lower level is not reported after a higher one',
    );
    assert.deepEqual(levels(risk('A1', '2026-03-02', { 'RULE-003': 100, 'RULE-001': 71 })), ['RULE-003@100/critical']);
    assert.deepEqual(
      levels(risk('A2', '2026-03-02', { 'RULE-003': 51 })),
      ['RULE-003@50/info'],
      'accounts are separate',
    );
    assert.deepEqual(
      levels(risk('A1', '2026-03-03', { 'RULE-003': 52, 'RULE-001': 0 })),
      ['RULE-003@50/info'],
      'a new trading day starts over',
    );
  });

  it('marks stale: a warning when a live feed goes stale, info when fresh again, nothing in between', () => {
    const src = new BusAlertSource();
    const at = (marksStale: string[]) => src.alertsOf(risk('A1', '2026-03-02', {}, { marksStale }));
    assert.deepEqual(at([]), []);
    const down = at(['market hub down for 3s (lost)']);
    assert.deepEqual(
      down.map((a) => [a.kind, a.severity, a.message]),
      [['marks_stale', 'warning', 'marks stale: market hub down for 3s (lost)']],
    );
    assert.deepEqual(at(['market hub down for 4s (lost)']), []);
    assert.deepEqual(
      at([]).map((a) => [a.kind, a.severity]),
      [['marks_stale', 'info']],
    );
  });

  it('breaches: day-ending rules (003/013/014) are critical, others warnings; rejections raise nothing', () => {
    const src = new BusAlertSource();
    const one = (data: Record<string, unknown>) =>
      src.alertsOf(msg('violations', data)).map((a) => `${a.kind} ${a.rule} ${a.severity} ${a.message}`);
    assert.deepEqual(one({ kind: 'breach', rule: 'RULE-003', action: 'close_all', reason: 'net loss 510 ≥ 500' }), [
      'breach RULE-003 critical close_all: net loss 510 ≥ 500',
    ]);
    assert.deepEqual(one({ kind: 'breach', rule: 'RULE-001', action: 'trim', symbol: 'MNQ', reason: '6 > 5' }), [
      'breach RULE-001 warning trim MNQ: 6 > 5',
    ]);
    assert.deepEqual(one({ kind: 'rejection', rule: 'RULE-001', action: 'reject', reason: 'too big' }), []);
  });

  it('lockouts start and end from lock lists (locks and risk channels)', () => {
    const src = new BusAlertSource();
    const lock = { rule: 'RULE-003', kind: 'lockout', until: 'next reset', since: TS, reason: 'daily loss' };
    const cool = {
      rule: 'RULE-006',
      kind: 'cooldown',
      until: '2026-03-02T15:01:00.000Z',
      since: TS,
      reason: '3 orders in a minute',
    };
    const show = (m: BusMessage) =>
      src
        .alertsOf(m)
        .filter((a) => a.kind === 'lockout' || a.kind === 'unlock')
        .map((a) => `${a.kind} ${a.rule} ${a.severity}`);
    assert.deepEqual(show(msg('locks', { locks: [lock, cool] })), [
      'lockout RULE-003 critical',
      'lockout RULE-006 warning',
    ]);
    assert.deepEqual(show(msg('locks', { locks: [lock, cool] })), [], 'a lock already reported is not reported again');
    assert.deepEqual(show(risk('A1', '2026-03-02', {}, { locks: [lock] })), ['unlock RULE-006 info']);
  });

  it('enforcement failed is critical, confirmed is info, steps in between raise nothing', () => {
    const src = new BusAlertSource();
    const e = (status: string) =>
      src.alertsOf(
        msg('enforcements', {
          key: 'k1',
          kind: 'flatten',
          rule: 'RULE-003',
          status,
          attempts: 3,
          note: status === 'failed' ? 'broker timeout' : status,
          symbol: 'MNQ',
        }),
      );
    assert.deepEqual(e('sent'), []);
    assert.deepEqual(
      e('failed').map((a) => [a.kind, a.severity, a.message]),
      [['enforcement_failed', 'critical', 'flatten MNQ FAILED after 3 attempt(s): broker timeout']],
    );
    assert.deepEqual(
      e('confirmed').map((a) => [a.kind, a.severity, a.message]),
      [['enforcement_confirmed', 'info', 'flatten MNQ confirmed']],
    );
  });

  it('trading state: into REDUCING (warning) and HALTED (critical), back to ACTIVE (info), only on change', () => {
    const src = new BusAlertSource();
    const st = (m: BusMessage) =>
      src
        .alertsOf(m)
        .filter((a) => a.kind === 'trading_state')
        .map((a) => `${a.severity} ${a.message}`);
    assert.deepEqual(st(risk('A1', 'd', {})), []);
    assert.deepEqual(st(risk('A1', 'd', {}, { state: 'REDUCING', stateReasons: ['RULE-006 cooldown'] })), [
      'warning trading state ACTIVE → REDUCING: RULE-006 cooldown',
    ]);
    assert.deepEqual(st(risk('A1', 'd', {}, { state: 'REDUCING' })), []);
    assert.deepEqual(st(msg('state', { state: 'HALTED', reasons: ['broker disconnected'] })), [
      'critical trading state REDUCING → HALTED: broker disconnected',
    ]);
    assert.deepEqual(st(risk('A1', 'd', {})), ['info trading state HALTED → ACTIVE']);
  });

  it('a reconcile mismatch on the state channel is a critical reconcile_mismatch alert, not a state change', () => {
    const src = new BusAlertSource();
    const alerts = src.alertsOf(
      msg('state', {
        event: 'reconcile_mismatch',
        tradingState: 'REDUCING',
        mismatches: [
          { kind: 'position', symbol: 'MNQ', engineQty: '0', brokerQty: '2', message: 'position mismatch MNQ' },
        ],
      }),
    );
    assert.deepEqual(
      alerts.map((a) => [a.kind, a.severity, a.rule]),
      [['reconcile_mismatch', 'critical', 'RECONCILE']],
    );
    assert.match(alerts[0]!.message, /1 difference\(s\).*REDUCING.*position mismatch MNQ/);
    assert.deepEqual((alerts[0]!.data?.mismatches as unknown[]).length, 1);
  });

  it('startAlerts subscribes to a node bus and delivers to a real receiver; stop unsubscribes', async () => {
    const http = await httpReceiver();
    const node = { bus: new NodeBus() };
    const config = alertsSection.parse({
      channels: [{ kind: 'webhook', url: `${http.url}/node`, secretEnv: 'S', minSeverity: 'warning' }],
    });
    const running = startAlerts(node, config, silentLogger(), () => Date.parse(TS), {
      env: { S: 'x' },
      delivery: { attempts: 1 },
    });
    assert.ok(running);
    node.bus.publish('A1', 'violations', TS, {
      kind: 'breach',
      rule: 'RULE-014',
      action: 'close_all',
      reason: 'trailing drawdown',
    });
    node.bus.publish('A1', 'risk', TS, {
      state: 'ACTIVE',
      tradingDay: '2026-03-02',
      locks: [],
      distances: [{ rule: 'RULE-003', value: '260', limit: '500', remaining: '240', usedPct: 52 }],
    });
    await running.router.idle();
    running.stop();
    node.bus.publish('A1', 'violations', TS, {
      kind: 'breach',
      rule: 'RULE-003',
      action: 'close_all',
      reason: 'after stop',
    });
    await new Promise((r) => setTimeout(r, 50));
    const bodies = http.received.map((r) => JSON.parse(r.body) as { kind: string; severity: string; rule: string });
    assert.deepEqual(
      bodies.map((b) => `${b.kind} ${b.severity} ${b.rule}`),
      ['breach critical RULE-014'],
      'the 50 % info alert is below the channel minimum',
    );
    assert.equal(startAlerts(node, alertsSection.parse({}), silentLogger()), undefined);
    await http.close();
  });
});
