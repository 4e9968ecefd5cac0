/** The rule registry: one line per rule (DESIGN §3 ids are stable). */
import type { RiskRule } from './rule.ts';
import { rule001 } from './rules/rule-001-max-contracts.ts';
import { rule002 } from './rules/rule-002-max-contracts-per-instrument.ts';
import { rule003 } from './rules/rule-003-daily-realized-loss.ts';
import { rule004 } from './rules/rule-004-daily-unrealized-loss.ts';
import { rule005 } from './rules/rule-005-max-unrealized-profit.ts';
import { rule011 } from './rules/rule-011-symbol-blocks.ts';
import { rule013 } from './rules/rule-013-daily-realized-profit.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const RULES: readonly RiskRule<any>[] = [rule001, rule002, rule003, rule004, rule005, rule011, rule013];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const RULES_BY_ID: ReadonlyMap<string, RiskRule<any>> = new Map(RULES.map((r) => [r.id, r]));
