/** Builds a risk engine from a validated configuration. */
import { TradingCalendar } from '../domain/calendar.ts';
import { InstrumentTable } from '../domain/instrument.ts';
import { rulesResolver } from '../config/rules.ts';
import type { RawConfig } from '../config/schema.ts';
import { RiskEngine, type EngineMode, type EngineOptions } from './risk-engine.ts';

export function createEngine(
  config: RawConfig,
  mode: EngineMode = 'shadow',
  extra: Pick<EngineOptions, 'endOfDaySummaries' | 'quietBands' | 'idleResets'> = {},
): RiskEngine {
  const engine = new RiskEngine({
    ...extra,
    calendar: new TradingCalendar(config.timezone, config.resetTime),
    instruments: InstrumentTable.withOverrides(config.instruments),
    mode,
    rulesFor: rulesResolver(config),
  });
  engine.rawConfig = config;
  return engine;
}
