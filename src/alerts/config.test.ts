import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConfigText } from '../config/load.ts';

const problems = (yaml: string) => validateConfigText(yaml).problems.map((p) => `${p.path}: ${p.message}`);

describe('alerts config (DESIGN §7)', () => {
  it('accepts every channel kind with routing, and fills the defaults (30 min cooldown, 10 per hour)', () => {
    const { config, problems: found } = validateConfigText(`
alerts:
  channels:
    - { kind: webhook, url: "https://hooks.example.test/rg", secretEnv: RG_HOOK_SECRET, minSeverity: warning }
    - { kind: slack, urlEnv: SLACK_URL, kinds: [breach, lockout], accounts: [A1] }
    - { kind: discord, url: "https://discord.example.test/api/webhooks/1/x" }
    - { kind: email, smtp: { host: smtp.example.test, port: 587, user: alerts, passEnv: SMTP_PASS }, to: ops@example.test, from: riskgate@example.test }
    - { kind: log, name: console }
`);
    assert.deepEqual(found, []);
    const a = config!.alerts!;
    assert.equal(a.cooldown, 30 * 60_000);
    assert.equal(a.maxPerHour, 10);
    assert.deepEqual(
      a.channels.map((c) => `${c.kind}:${c.minSeverity}`),
      ['webhook:warning', 'slack:info', 'discord:info', 'email:info', 'log:info'],
    );
    const email = a.channels[3]!;
    assert.ok(email.kind === 'email' && email.smtp.secure === false);
  });

  it('parses the cooldown as a duration and the cap as an integer', () => {
    const { config } = validateConfigText('alerts: { channels: [ { kind: log } ], cooldown: "5m", maxPerHour: 3 }');
    assert.equal(config!.alerts!.cooldown, 300_000);
    assert.equal(config!.alerts!.maxPerHour, 3);
  });

  it('names the path of each problem', () => {
    const found = problems(`
alerts:
  cooldown: soon
  maxPerHour: 0
  channels:
    - { kind: webhook, url: "https://x.test", secret: hunter2 }
    - { kind: slack }
    - { kind: pager, url: "https://x.test" }
    - { kind: log, minSeverity: loud, kinds: [breach, weather] }
    - { kind: email, smtp: { host: h, port: 25, password: p }, to: a@b.c, from: r@b.c }
`);
    const paths = found.map((p) => p.split(': ')[0]);
    for (const p of [
      'alerts.cooldown',
      'alerts.maxPerHour',
      'alerts.channels.0.secretEnv',
      'alerts.channels.1.url',
      'alerts.channels.2.kind',
      'alerts.channels.3.minSeverity',
      'alerts.channels.3.kinds.1',
      'alerts.channels.4.smtp',
    ]) {
      assert.ok(paths.includes(p), `expected a problem at ${p}; got:\n${found.join('\n')}`);
    }
    assert.ok(
      found.some((p) => p.startsWith('alerts.channels.0') && p.includes('secret')),
      'an inline secret is an unknown key',
    );
    assert.ok(!found.join('\n').includes('hunter2'), 'a secret value is never echoed');
  });
});
