/** The rule registry: one line per rule (DESIGN §3 ids are stable). */
import type { RiskRule, RuleState } from './rule.ts';
import { rule001 } from './rules/rule-001-max-contracts.ts';
import { rule002 } from './rules/rule-002-max-contracts-per-instrument.ts';
import { rule003 } from './rules/rule-003-daily-realized-loss.ts';
import { rule004 } from './rules/rule-004-daily-unrealized-loss.ts';
import { rule005 } from './rules/rule-005-max-unrealized-profit.ts';
import { rule011 } from './rules/rule-011-symbol-blocks.ts';
import { rule013 } from './rules/rule-013-daily-realized-profit.ts';
import { rule006 } from './rules/rule-006-trade-frequency-limit.ts';
import { rule007 } from './rules/rule-007-cooldown-after-loss.ts';
import { rule008 } from './rules/rule-008-no-stop-loss-grace.ts';
import { rule009 } from './rules/rule-009-session-block-outside.ts';
import { rule010 } from './rules/rule-010-auth-loss-guard.ts';
import { rule012 } from './rules/rule-012-trade-management.ts';
import { rule014 } from './rules/rule-014-trailing-drawdown.ts';
import { rule015 } from './rules/rule-015-pre-trade-projected-loss.ts';
import { rule016 } from './rules/rule-016-order-rate.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const RULES: readonly RiskRule<any>[] = [
  rule001,
  rule002,
  rule003,
  rule004,
  rule005,
  rule006,
  rule007,
  rule008,
  rule009,
  rule010,
  rule011,
  rule012,
  rule013,
  rule014,
  rule015,
  rule016,
];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const RULES_BY_ID: ReadonlyMap<string, RiskRule<any>> = new Map(RULES.map((r) => [r.id, r]));

/** The distinct states the registered rules keep (`RiskRule.state`), in registry order. */
export const RULE_STATES: readonly RuleState<unknown>[] = [
  ...new Set(RULES.flatMap((r) => (r.state ? [r.state as RuleState<unknown>] : []))),
];
