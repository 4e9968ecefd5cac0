/**
 * Lookups over an account's enabled rules, computed once per rule list (accounts share a list
 * until a config change replaces it): configs by rule id, whether RULE-014 is on, and which rules
 * act on each trigger (so a quote runs only the rules that read quotes).
 */
import type { ActiveRule } from '../config/rules.ts';
import type { RuleId, Trigger } from '../risk/rule.ts';

export interface RuleListInfo {
  configOf: (id: RuleId) => unknown;
  /** RULE-014 enabled: its high-water marks are kept (equity costs a pass over positions). */
  hasDrawdownRule: boolean;
  byTrigger: Map<Trigger, readonly ActiveRule[]>;
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
      info = { configOf: (id) => byId.get(id), hasDrawdownRule: byId.get('RULE-014') !== undefined, byTrigger: new Map() };
      this.byList.set(rules, info);
    }
    this.lastRules = rules;
    this.lastInfo = info;
    return info;
  }
}

/** The rules of a list that act on `trigger` (config order kept), computed once per list. */
export function rulesOn(info: RuleListInfo, rules: readonly ActiveRule[], trigger: Trigger): readonly ActiveRule[] {
  let on = info.byTrigger.get(trigger);
  if (!on) {
    on = rules.filter(({ rule }) => (rule.evaluate !== undefined || rule.timers !== undefined) && (rule.triggers === undefined || rule.triggers.includes(trigger)));
    info.byTrigger.set(trigger, on);
  }
  return on;
}
