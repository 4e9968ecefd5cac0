/**
 * Changing the rules of a running engine (DESIGN §1 invariant 4): what tightens applies at once,
 * the full new config from the next trading-day reset (an engine timer, so it survives restarts
 * through snapshots and is re-derived from the journaled `config` record on recovery).
 */
import { AppError } from '../errors.ts';
import { isoOf } from '../domain/events.ts';
import type { RawConfig } from '../config/schema.ts';
import { sameRules, tightestOf } from '../config/tightening.ts';
import type { Decision } from './decision.ts';
import type { RiskEngine } from './risk-engine.ts';

export function changeConfig(engine: RiskEngine, next: RawConfig, t: number): Decision[] {
  const current = engine.rawConfig;
  if (!current) throw new AppError('ERR_ENGINE_INVARIANT', 'engine has no config');
  if (
    current.timezone !== next.timezone ||
    current.resetTime !== next.resetTime ||
    JSON.stringify(current.instruments) !== JSON.stringify(next.instruments)
  ) {
    throw new AppError(
      'ERR_CONFIG_INVALID',
      'timezone, resetTime and instruments define the store; change them in a new data dir',
    );
  }
  const out: Decision[] = [];
  engine.advanceTo(t, out);
  const now = tightestOf(current, next);
  const tightened = !sameRules(now, current);
  if (tightened) engine.replaceRules(now);
  const deferred = !sameRules(next, now);
  if (deferred)
    engine.timers.push({
      kind: 'config',
      key: 'pending-config',
      rule: 'CONFIG',
      deadline: engine.nextReset ?? t,
      data: next,
    });
  else engine.timers.cancel(undefined, 'CONFIG', 'pending-config');
  const reason = `config change: ${tightened ? 'stricter limits in force now' : 'nothing stricter'}; ${deferred ? `the rest from the next reset ${isoOf(engine.nextReset ?? t)}` : 'nothing deferred'}`;
  out.push({ t, ts: isoOf(t), account: '*', kind: 'admin', rule: 'ADMIN', action: 'summary', reason, outcomes: [] });
  return out;
}
