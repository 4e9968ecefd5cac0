import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { parseEvent } from '../domain/events.ts';
import { tightestOf } from '../config/tightening.ts';
import { PersistentEngine } from './persistent-engine.ts';

const cfg = (yaml: string) => configSchema.parse(parse(yaml));
const input = (raw: Record<string, unknown>) => ({ event: parseEvent(raw), raw });
const fill = (ts: string, side: string, price: string, account = 'A') =>
  input({ ts, type: 'fill', account, orderId: ts, fillId: ts, symbol: 'ES', side, qty: 1, price });

test('tightestOf keeps the stricter value key by key; unknown directions keep the old value', () => {
  const now = tightestOf(
    cfg(
      'risk: { rules: { RULE-003: { limit: "500" }, RULE-004: { limit: "100" }, RULE-011: { blocked: ["CL*"] }, RULE-006: { perMinute: 3, cooldowns: { minute: "60s" } } } }',
    ),
    cfg(
      'risk: { rules: { RULE-003: { limit: "300" }, RULE-004: { limit: "200" }, RULE-011: { blocked: ["6?"] }, RULE-006: { perMinute: 5, cooldowns: { minute: "5m" } }, RULE-013: { target: "900" } } }',
    ),
  );
  const r = now.risk.rules as Record<string, Record<string, unknown>>;
  assert.equal(r['RULE-003']!.limit, '300'); // tighter: now
  assert.equal(r['RULE-004']!.limit, '100'); // looser: later
  assert.deepEqual(r['RULE-011']!.blocked, ['CL*', '6?']); // more blocks now, none dropped
  assert.equal(r['RULE-006']!.perMinute, 3);
  assert.deepEqual(r['RULE-006']!.cooldowns, { minute: '5m' }); // a longer cooldown is stricter
  assert.deepEqual(r['RULE-013'], { target: '900' }); // a newly enabled rule applies now
});

test('a tighter limit applies at once, a looser one from the next reset; both survive a restart', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-cfg-'));
  const pe = PersistentEngine.open(dir, {
    config: cfg('risk: { rules: { RULE-003: { limit: "500" } } }'),
    snapshotEvery: 2,
  }); // restart goes through a snapshot
  pe.process(fill('2026-04-07T14:00:00.000Z', 'buy', '5200'));
  pe.process(fill('2026-04-07T14:01:00.000Z', 'sell', '5193')); // −350: fine under 500
  pe.changeConfig(cfg('risk: { rules: { RULE-003: { limit: "300" } } }'), Date.parse('2026-04-07T14:02:00.000Z'));
  pe.process(fill('2026-04-07T14:03:00.000Z', 'buy', '5200'));
  const tight = pe.process(fill('2026-04-07T14:04:00.000Z', 'sell', '5199.75')); // −362.5 < −300
  assert.equal(tight[0]?.rule, 'RULE-003', 'the stricter limit is in force at once');
  pe.changeConfig(cfg('risk: { rules: { RULE-003: { limit: "1000" } } }'), Date.parse('2026-04-07T15:00:00.000Z'));
  pe.close();

  const again = PersistentEngine.open(dir);
  const rules = () =>
    again.engine.accounts.get('A')!.rules.find((r) => r.rule.id === 'RULE-003')!.config as { limit: bigint };
  assert.equal(rules().limit, 300n * 10n ** 18n, 'looser limit waits for the reset, also after a restart');
  again.process(fill('2026-04-07T22:00:00.000Z', 'buy', '5200', 'B'));
  assert.equal(rules().limit, 1000n * 10n ** 18n, 'from the next trading day');
  again.close();
});
