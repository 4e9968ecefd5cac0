/**
 * Lookups over an account's enabled rules, computed once per rule list (accounts share a list
 * until a config change replaces it): configs by rule id, the rule states an account keeps, the
 * states that follow equity, and which rules act on each trigger (so a quote runs only the rules
 * that read quotes).
 */
import type { Fixed } from '../domain/money.ts';
import type { ActiveRule } from '../config/rules.ts';
import { RULE_STATES } from '../risk/registry.ts';
import { stateOf, type AccountState } from '../risk/account.ts';
import type { RuleId, RuleState, Trigger } from '../risk/rule.ts';

export interface RuleListInfo {
  configOf: (id: RuleId) => unknown;
  /** The states an account with these rules keeps: every registered rule's, then the list's own. */
  states: readonly RuleState<unknown>[];
  /** States of enabled rules that follow equity (`RuleState.onEquity`): equity costs a pass over positions. */
  equityStates: readonly RuleState<unknown>[];
  byTrigger: Map<Trigger, readonly ActiveRule[]>;
}

function statesOf(rules: readonly ActiveRule[]): RuleState<unknown>[] {
  return [...new Set(rules.flatMap(({ rule }) => (rule.state ? [rule.state as RuleState<unknown>] : [])))];
}

export class RuleIndex {
  private readonly byList = new WeakMap<readonly ActiveRule[], RuleListInfo>();
  // Accounts usually share one list (no per-account overrides): the last answer is kept.
  private lastRules: readonly ActiveRule[] | undefined;
  private lastInfo: RuleListInfo | undefined;

  info(rules: readonly ActiveRule[]): RuleListInfo {
    if (rules === this.lastRules) return this.lastInfo!;
    let info = this.byList.get(rules);
    if (!info) {
      const byId = new Map(rules.map((r) => [r.rule.id as string, r.config]));
      const own = statesOf(rules);
      info = {
        configOf: (id) => byId.get(id),
        states: [...new Set([...RULE_STATES, ...own])],
        equityStates: own.filter((s) => s.onEquity !== undefined),
        byTrigger: new Map(),
      };
      this.byList.set(rules, info);
    }
    this.lastRules = rules;
    this.lastInfo = info;
    return info;
  }
}

/** Tells the equity-following states of an account its equity (`RuleState.onEquity`). */
export function observeEquity(
  st: AccountState,
  states: readonly RuleState<unknown>[],
  equity: Fixed,
  at: 'evaluation' | 'reset',
): void {
  for (const s of states) s.onEquity!(stateOf(st, s), equity, at);
}

/** The least equity above which one of those states would change (`RuleState.equityCeiling`), if any. */
export function equityCeiling(st: AccountState, states: readonly RuleState<unknown>[]): Fixed | undefined {
  let ceiling: Fixed | undefined;
  for (const s of states) {
    const c = s.equityCeiling?.(stateOf(st, s));
    if (c !== undefined && (ceiling === undefined || c < ceiling)) ceiling = c;
  }
  return ceiling;
}

/** The rules of a list that act on `trigger` (config order kept), computed once per list. */
export function rulesOn(info: RuleListInfo, rules: readonly ActiveRule[], trigger: Trigger): readonly ActiveRule[] {
  let on = info.byTrigger.get(trigger);
  if (!on) {
    on = rules.filter(
      ({ rule }) =>
        (rule.evaluate !== undefined || rule.timers !== undefined) &&
        (rule.triggers === undefined || rule.triggers.includes(trigger)),
    );
    info.byTrigger.set(trigger, on);
  }
  return on;
}
