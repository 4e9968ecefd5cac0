/**
 * The starter rule set of the quick start (`riskgate start` without a config file): the limits a
 * prop-firm trader knows from an evaluation account, on one paper account.
 */
import { parse } from 'yaml';
import { configSchema, type RawConfig } from '../config/schema.ts';

export const STARTER_CONFIG_YAML = `# riskgate starter rules (riskgate start without --config or ./riskgate.yaml)
timezone: America/Chicago
resetTime: "17:00"
risk:
  rules:
    RULE-001: { limit: 5, action: close_all }   # at most 5 contracts open
    RULE-003: { limit: "1000" }                 # daily loss limit (net of fees): close all, lock until the next reset
    RULE-008: { grace: "20s" }                  # a position needs a protective stop within 20 s
    RULE-014: { limit: "2500", mode: intraday } # trailing drawdown from the equity high: close all, lock
paper:
  accounts: [ { id: PAPER-1, balance: "50000" } ]
`;

export function starterConfig(): RawConfig {
  return configSchema.parse(parse(STARTER_CONFIG_YAML));
}
