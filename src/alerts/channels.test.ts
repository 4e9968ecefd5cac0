import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../node/logger.ts';
import {
  httpReceiver,
  mailReceiver,
  type HttpReceiver,
  type MailReceiver,
} from '../../test/fixtures/alert-receivers.ts';
import { alertsSection } from './config.ts';
import { AlertRouter } from './router.ts';

const SECRET = 'whsec-test-0123456789';
const T0 = Date.parse('2026-03-02T15:00:00Z');

function capturingLogger(): {
  logger: ReturnType<typeof createLogger>;
  lines: () => Record<string, unknown>[];
  text: () => string;
} {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      text += chunk.toString('utf8');
      cb();
    },
  });
  const logger = createLogger({ pretty: false, destination, level: 'debug' });
  return {
    logger,
    text: () => text,
    lines: () =>
      text
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

const fast = { attempts: 3, baseDelayMs: 20, maxDelayMs: 100, timeoutMs: 2000 };

describe('alert channels against real local receivers', () => {
  let http: HttpReceiver;
  let smtp: MailReceiver;
  before(async () => {
    http = await httpReceiver((path, nth) => (path === '/flaky' && nth <= 2 ? 500 : 200));
    smtp = await mailReceiver();
  });
  after(async () => {
    await http.close();
    await smtp.close();
  });

  it('webhook: JSON body in DESIGN order, timestamp header and HMAC-SHA256 signature of "<timestamp>.<body>"', async () => {
    const start = http.received.length;
    const config = alertsSection.parse({
      channels: [{ kind: 'webhook', url: `${http.url}/hook`, secretEnv: 'HOOK_SECRET' }],
    });
    const log = capturingLogger();
    const router = new AlertRouter(config, {
      logger: log.logger,
      now: () => T0,
      env: { HOOK_SECRET: SECRET },
      delivery: fast,
    });
    const sent = router.raise({
      kind: 'breach',
      severity: 'critical',
      account: 'A1',
      rule: 'RULE-003',
      message: 'daily loss 512.50 over 500',
      data: { action: 'close_all' },
    });
    await router.idle();
    const [req] = http.received.slice(start);
    assert.ok(req);
    assert.equal(req.path, '/hook');
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['x-riskgate-timestamp'], String(T0 / 1000));
    const expected = createHmac('sha256', SECRET)
      .update(`${T0 / 1000}.${req.body}`)
      .digest('hex');
    assert.equal(req.headers['x-riskgate-signature'], `sha256=${expected}`);
    assert.deepEqual(Object.keys(JSON.parse(req.body) as object), [
      'id',
      'ts',
      'kind',
      'severity',
      'account',
      'rule',
      'message',
      'data',
    ]);
    assert.deepEqual(JSON.parse(req.body), {
      id: sent.id,
      ts: '2026-03-02T15:00:00.000Z',
      kind: 'breach',
      severity: 'critical',
      account: 'A1',
      rule: 'RULE-003',
      message: 'daily loss 512.50 over 500',
      data: { action: 'close_all' },
    });
    assert.ok(!log.text().includes(SECRET), 'the secret never reaches the log');
    router.close();
  });

  it('Slack gets {"text"} and Discord {"content"}, routed by severity, kind and account', async () => {
    const start = http.received.length;
    const config = alertsSection.parse({
      channels: [
        { kind: 'slack', url: `${http.url}/slack`, minSeverity: 'warning' },
        { kind: 'discord', urlEnv: 'DISCORD_URL', kinds: ['lockout'], accounts: ['A2'] },
      ],
    });
    const router = new AlertRouter(config, {
      logger: capturingLogger().logger,
      now: () => T0,
      env: { DISCORD_URL: `${http.url}/discord` },
      delivery: fast,
    });
    router.raise({ kind: 'distance', severity: 'info', account: 'A2', rule: 'RULE-003', message: '50% used' });
    router.raise({
      kind: 'lockout',
      severity: 'critical',
      account: 'A2',
      rule: 'RULE-003',
      message: 'lockout until next reset',
    });
    router.raise({
      kind: 'lockout',
      severity: 'critical',
      account: 'A1',
      rule: 'RULE-003',
      message: 'lockout until next reset',
    });
    await router.idle();
    const got = http.received.slice(start).map((r) => [r.path, JSON.parse(r.body) as unknown]);
    assert.deepEqual(
      got.sort(
        (a, b) => String(a[0]).localeCompare(String(b[0])) || JSON.stringify(a[1]).localeCompare(JSON.stringify(b[1])),
      ),
      [
        ['/discord', { content: '[CRITICAL] A2 lockout RULE-003: lockout until next reset' }],
        ['/slack', { text: '[CRITICAL] A1 lockout RULE-003: lockout until next reset' }],
        ['/slack', { text: '[CRITICAL] A2 lockout RULE-003: lockout until next reset' }],
      ],
    );
    router.close();
  });

  it('retries a receiver that answers 500 twice with the same id, then succeeds', async () => {
    const start = http.received.length;
    const config = alertsSection.parse({
      channels: [{ kind: 'webhook', url: `${http.url}/flaky`, secretEnv: 'HOOK_SECRET' }],
    });
    const router = new AlertRouter(config, {
      logger: capturingLogger().logger,
      now: () => T0,
      env: { HOOK_SECRET: SECRET },
      delivery: fast,
    });
    const sent = router.raise({
      kind: 'enforcement_failed',
      severity: 'critical',
      account: 'A1',
      rule: 'RULE-003',
      message: 'flatten MNQ FAILED',
    });
    await router.idle();
    const tries = http.received.slice(start);
    assert.equal(tries.length, 3);
    assert.deepEqual(
      tries.map((r) => (JSON.parse(r.body) as { id: string }).id),
      [sent.id, sent.id, sent.id],
    );
    assert.deepEqual(
      router.stats().map((s) => [s.delivered, s.failed]),
      [[1, 0]],
    );
    router.close();
  });

  it('email over SMTP reaches the receiver with the alert in subject and body', async () => {
    const config = alertsSection.parse({
      channels: [
        {
          kind: 'email',
          smtp: { host: '127.0.0.1', port: smtp.port, secure: false },
          to: ['ops@example.test', 'trader@example.test'],
          from: 'riskgate@example.test',
        },
      ],
    });
    const router = new AlertRouter(config, {
      logger: capturingLogger().logger,
      now: () => T0,
      env: {},
      delivery: fast,
    });
    const sent = router.raise({
      kind: 'trading_state',
      severity: 'critical',
      account: 'A1',
      message: 'trading state ACTIVE → HALTED',
    });
    await router.idle();
    await smtp.waitFor(1);
    const mail = smtp.messages[0]!;
    assert.equal(mail.from, 'riskgate@example.test');
    assert.deepEqual(mail.to, ['ops@example.test', 'trader@example.test']);
    assert.match(mail.raw, /Subject: riskgate critical: A1 trading_state/);
    assert.match(mail.raw, new RegExp(`X-Riskgate-Alert-Id: ${sent.id}`, 'i'));
    assert.ok(mail.raw.includes(sent.id));
    router.close();
  });

  it('the log channel writes the alert at a level matching its severity', async () => {
    const log = capturingLogger();
    const router = new AlertRouter(alertsSection.parse({ channels: [{ kind: 'log' }] }), {
      logger: log.logger,
      now: () => T0,
    });
    const sent = router.raise({
      kind: 'breach',
      severity: 'warning',
      account: 'A1',
      rule: 'RULE-001',
      message: 'trim MNQ to 5',
    });
    await router.idle();
    const line = log.lines().find((l) => (l.alert as { id?: string } | undefined)?.id === sent.id);
    assert.ok(line);
    assert.equal(line.level, 40);
    assert.equal(line.msg, 'alert [WARNING] A1 breach RULE-001: trim MNQ to 5');
  });

  it('a channel that never answers does not delay the others, and nobody waits on it', async () => {
    const hang = await httpReceiver(() => 'hang');
    const start = http.received.length;
    const config = alertsSection.parse({
      channels: [
        { kind: 'slack', url: `${hang.url}/slow` },
        { kind: 'discord', url: `${http.url}/quick` },
      ],
    });
    const router = new AlertRouter(config, {
      logger: capturingLogger().logger,
      now: () => T0,
      delivery: { ...fast, timeoutMs: 60_000 },
    });
    const t = Date.now();
    router.raise({ kind: 'breach', severity: 'warning', account: 'A1', rule: 'RULE-001', message: 'one' });
    router.raise({ kind: 'breach', severity: 'warning', account: 'A1', rule: 'RULE-016', message: 'two' });
    assert.ok(Date.now() - t < 50, 'raise returns at once');
    const quick = await http.waitFor(start + 2, 2000);
    assert.deepEqual(
      quick.slice(start).map((r) => r.path),
      ['/quick', '/quick'],
    );
    await hang.waitFor(1);
    assert.equal(router.stats()[0]!.queued, 1, 'the second alert waits behind the hung one on its own channel only');
    router.close();
    await hang.close();
  });

  it('a try without an answer in time fails and is retried with the same id; then the alert counts as failed', async () => {
    const hang = await httpReceiver(() => 'hang');
    const config = alertsSection.parse({ channels: [{ kind: 'webhook', url: `${hang.url}/slow`, secretEnv: 'S' }] });
    const router = new AlertRouter(config, {
      logger: capturingLogger().logger,
      now: () => T0,
      env: { S: SECRET },
      delivery: { attempts: 2, baseDelayMs: 10, timeoutMs: 100 },
    });
    const sent = router.raise({
      kind: 'marks_stale',
      severity: 'warning',
      account: 'A1',
      message: 'no quote for MNQ in 30 s',
    });
    await router.idle();
    assert.deepEqual(
      hang.received.map((r) => (JSON.parse(r.body) as { id: string }).id),
      [sent.id, sent.id],
    );
    assert.deepEqual(
      router.stats().map((s) => [s.delivered, s.failed]),
      [[0, 1]],
    );
    router.close();
    await hang.close();
  });

  it('a full queue drops its oldest alert and counts it', async () => {
    const hang = await httpReceiver(() => 'hang');
    const config = alertsSection.parse({ channels: [{ kind: 'slack', url: `${hang.url}/full` }] });
    const router = new AlertRouter(config, {
      logger: capturingLogger().logger,
      now: () => T0,
      delivery: { queueSize: 2, attempts: 1, timeoutMs: 60_000 },
    });
    for (const rule of ['RULE-001', 'RULE-002', 'RULE-003', 'RULE-004', 'RULE-005'])
      router.raise({ kind: 'breach', severity: 'warning', account: 'A1', rule, message: rule });
    await hang.waitFor(1);
    assert.deepEqual(
      router.stats().map((s) => [s.queued, s.dropped]),
      [[2, 2]],
    );
    router.close();
    await router.idle();
    await hang.close();
  });

  it('a missing secret variable is ERR_ALERT_CONFIG naming the variable, never a value', () => {
    const config = alertsSection.parse({
      channels: [{ kind: 'webhook', url: `${http.url}/hook`, secretEnv: 'NOT_SET_ANYWHERE' }],
    });
    assert.throws(
      () => new AlertRouter(config, { logger: capturingLogger().logger, now: () => T0, env: {} }),
      (e: Error & { code?: string }) => e.code === 'ERR_ALERT_CONFIG' && e.message.includes('NOT_SET_ANYWHERE'),
    );
  });
});
