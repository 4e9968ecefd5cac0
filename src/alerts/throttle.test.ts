import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { silentLogger } from '../node/logger.ts';
import { httpReceiver, type HttpReceiver } from '../../test/fixtures/alert-receivers.ts';
import { alertsSection } from './config.ts';
import { AlertRouter } from './router.ts';

const T0 = Date.parse('2026-03-02T15:00:00Z');
const MIN = 60_000;

interface Body {
  id: string;
  ts: string;
  kind: string;
  severity: string;
  account: string;
  rule?: string;
  message: string;
  data?: {
    total?: number;
    suppressed?: { kind: string; account: string; rule?: string; count: number; severity: string }[];
  };
}

describe('throttling per alert key and per channel, with a digest (injected clock, real receiver)', () => {
  let http: HttpReceiver;
  before(async () => {
    http = await httpReceiver();
  });
  after(() => http.close());

  function setup(
    section: Record<string, unknown>,
    path: string,
  ): { router: AlertRouter; at: (ms: number) => void; bodies: () => Body[] } {
    let t = T0;
    const start = http.received.length;
    const config = alertsSection.parse({
      channels: [{ kind: 'webhook', url: `${http.url}${path}`, secretEnv: 'S' }],
      ...section,
    });
    const router = new AlertRouter(config, {
      logger: silentLogger(),
      now: () => t,
      env: { S: 'secret' },
      delivery: { attempts: 1 },
    });
    return {
      router,
      at: (ms) => (t = T0 + ms),
      bodies: () =>
        http.received
          .slice(start)
          .filter((r) => r.path === path)
          .map((r) => JSON.parse(r.body) as Body),
    };
  }

  it('holds a repeated key for the cooldown (default 30 minutes), then sends one digest of what it held', async () => {
    const { router, at, bodies } = setup({}, '/cooldown');
    const breach = (message: string, rule = 'RULE-003') =>
      router.raise({ kind: 'breach', severity: 'warning', account: 'A1', rule, message });
    breach('first');
    at(10 * MIN);
    breach('again');
    at(20 * MIN);
    breach('other rule', 'RULE-004');
    at(29 * MIN);
    router.raise({ kind: 'breach', severity: 'critical', account: 'A1', rule: 'RULE-003', message: 'and again' });
    router.tick();
    await router.idle();
    assert.deepEqual(
      bodies().map((b) => b.message),
      ['first', 'other rule'],
      'nothing more inside the cooldown',
    );
    at(30 * MIN);
    router.tick();
    await router.idle();
    const digest = bodies()[2]!;
    assert.equal(digest.kind, 'digest');
    assert.equal(digest.severity, 'critical', 'a digest is as severe as the worst it holds');
    assert.equal(digest.account, 'A1');
    assert.equal(digest.ts, new Date(T0 + 30 * MIN).toISOString());
    assert.deepEqual(
      digest.data?.suppressed?.map((s) => [s.kind, s.account, s.rule, s.count]),
      [['breach', 'A1', 'RULE-003', 2]],
    );
    router.tick();
    at(31 * MIN);
    breach('after the cooldown');
    await router.idle();
    assert.deepEqual(
      bodies()
        .map((b) => b.kind + ':' + b.message)
        .slice(3),
      ['breach:after the cooldown'],
    );
    assert.equal(router.stats()[0]!.held, 0);
  });

  it('sends at most maxPerHour per channel in any hour; the digest waits for room and takes one slot', async () => {
    const { router, at, bodies } = setup({ maxPerHour: 3, cooldown: '1s' }, '/cap');
    for (const rule of ['RULE-001', 'RULE-002', 'RULE-003', 'RULE-004', 'RULE-005'])
      router.raise({ kind: 'breach', severity: 'warning', account: 'A2', rule, message: rule });
    at(30 * MIN);
    router.tick();
    await router.idle();
    assert.deepEqual(
      bodies().map((b) => b.message),
      ['RULE-001', 'RULE-002', 'RULE-003'],
    );
    assert.equal(router.stats()[0]!.held, 2);
    at(60 * MIN);
    router.raise({ kind: 'lockout', severity: 'critical', account: 'A2', rule: 'RULE-003', message: 'locked' });
    router.raise({ kind: 'unlock', severity: 'info', account: 'A2', rule: 'RULE-006', message: 'cooldown ended' });
    router.raise({
      kind: 'breach',
      severity: 'warning',
      account: 'A2',
      rule: 'RULE-016',
      message: 'over the cap again',
    });
    await router.idle();
    const later = bodies().slice(3);
    assert.deepEqual(
      later.map((b) => b.kind),
      ['digest', 'lockout', 'unlock'],
      'the digest goes first, before new alerts',
    );
    assert.deepEqual(
      later[0]!.data?.suppressed?.map((s) => s.rule),
      ['RULE-004', 'RULE-005'],
    );
    assert.equal(later[0]!.data?.total, 2);
    assert.equal(router.stats()[0]!.held, 1);
  });

  it('throttles each channel on its own', async () => {
    let t = T0;
    const start = http.received.length;
    const config = alertsSection.parse({
      maxPerHour: 1,
      channels: [
        { kind: 'slack', url: `${http.url}/one`, kinds: ['breach'] },
        { kind: 'slack', url: `${http.url}/two` },
      ],
    });
    const router = new AlertRouter(config, { logger: silentLogger(), now: () => t, delivery: { attempts: 1 } });
    router.raise({ kind: 'distance', severity: 'info', account: 'A1', rule: 'RULE-003', message: '50% used' });
    t += MIN;
    router.raise({ kind: 'breach', severity: 'warning', account: 'A1', rule: 'RULE-003', message: 'breach' });
    await router.idle();
    const texts = http.received.slice(start).map((r) => `${r.path} ${(JSON.parse(r.body) as { text: string }).text}`);
    assert.deepEqual(texts.sort(), [
      '/one [WARNING] A1 breach RULE-003: breach',
      '/two [INFO] A1 distance RULE-003: 50% used',
    ]);
  });
});
