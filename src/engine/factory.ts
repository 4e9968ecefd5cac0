/** Builds a risk engine from a validated configuration. */
import { TradingCalendar } from '../domain/calendar.ts';
import { InstrumentTable } from '../domain/instrument.ts';
import { resolveRules, type ActiveRule } from '../config/rules.ts';
import type { RawConfig } from '../config/schema.ts';
import { RiskEngine, type EngineMode } from './risk-engine.ts';

export function createEngine(config: RawConfig, mode: EngineMode = 'shadow'): RiskEngine {
  const cache = new Map<string, readonly ActiveRule[]>();
  const global = resolveRules(config);
  return new RiskEngine({
    calendar: new TradingCalendar(config.timezone, config.resetTime),
    instruments: InstrumentTable.withOverrides(config.instruments),
    mode,
    rulesFor(account) {
      if (!config.accounts[account]) return global;
      let r = cache.get(account);
      if (!r) {
        r = resolveRules(config, account);
        cache.set(account, r);
      }
      return r;
    },
  });
}
