/**
 * Decision bodies as templates: a locked account that keeps trading gets the same decision of the
 * same rule again and again, different only in its reason and time. The journal body is then the
 * template's constant text around those two (decision-json.ts `BodyParts`), so a journal that
 * hashes on another thread (`JournalSink.appendDecision`) is sent the template once and, per
 * decision, only the reason: the engine thread neither writes nor ships the rest again.
 */
import { isoOf } from '../domain/events.ts';
import type { Outcome } from '../risk/rule.ts';
import type { Decision } from './decision.ts';
import { decisionBodyParts, decisionEntry } from './decision-json.ts';
import type { BodyTemplate, JournalSink } from './journal-port.ts';

/** Templates by text: the same text keeps its id (a journal worker holds each id's text once). */
const byText = new Map<string, BodyTemplate>();
/** The last template of each account × rule, with the decision it was made from. */
const last = new Map<string, Map<string, { readonly decision: Decision; readonly template: BodyTemplate }>>();
const MAX_ENTRIES = 4096;
let nextId = 0;

function sameOutcome(a: Outcome, b: Outcome): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'trim':
      return a.symbol === (b as typeof a).symbol && a.toQty === (b as typeof a).toQty;
    case 'move_stop':
      return a.orderId === (b as typeof a).orderId && a.stopPrice === (b as typeof a).stopPrice;
    case 'cooldown':
    case 'lockout':
      return a.until === (b as typeof a).until;
    default: {
      // `a` has a plain shape the writer knows ({ kind } or { kind, symbol }): `b` must have it too.
      if (Object.getPrototypeOf(b) !== Object.prototype) return false;
      const n = Object.keys(a).length;
      return (
        Object.keys(b).length === n &&
        (n === 1 || (a as { symbol?: unknown }).symbol === (b as { symbol?: unknown }).symbol)
      );
    }
  }
}

/** Whether `b` has the body of `a` apart from its reason and ts (same account and rule given). */
function sameTemplate(a: Decision, b: Decision): boolean {
  if (
    a.action !== b.action ||
    a.kind !== b.kind ||
    a.symbol !== b.symbol ||
    a.until !== b.until ||
    !Array.isArray(b.outcomes) ||
    a.outcomes.length !== b.outcomes.length
  )
    return false;
  for (let i = 0; i < a.outcomes.length; i++) {
    const o = b.outcomes[i];
    if (o === null || typeof o !== 'object' || !sameOutcome(a.outcomes[i]!, o)) return false;
  }
  return true;
}

/**
 * The template of a decision's journal body, or undefined: a decision with an order (a
 * rejection, a stop move) is one of a kind, and a decision the fixed-order writer leaves to the
 * general one has none.
 */
export function decisionTemplate(d: Decision): BodyTemplate | undefined {
  if (d.orderId !== undefined) return undefined;
  let byRule = last.get(d.account);
  const seen = byRule?.get(d.rule);
  // The seen decision passed the writer's checks: the same constant parts pass them too.
  if (seen !== undefined && typeof d.reason === 'string' && typeof d.ts === 'string' && sameTemplate(seen.decision, d))
    return seen.template;
  const parts = decisionBodyParts(d);
  if (parts === undefined) return undefined;
  const key = `${parts.head}\u0000${parts.middle}\u0000${parts.tail}`;
  let template = byText.get(key);
  if (template === undefined) {
    if (byText.size >= MAX_ENTRIES) byText.clear();
    template = { id: ++nextId, ...parts };
    byText.set(key, template);
  }
  if (byRule === undefined) {
    if (last.size >= MAX_ENTRIES) last.clear();
    byRule = new Map();
    last.set(d.account, byRule);
  }
  byRule.set(d.rule, { decision: d, template });
  return template;
}

/** Journals a decision: by template where the journal takes one, else as a record with its body text. */
export function journalDecision(journal: JournalSink, d: Decision): void {
  if (journal.appendDecision !== undefined) {
    const template = decisionTemplate(d);
    if (template !== undefined) {
      journal.appendDecision(d.ts === isoOf(d.t) ? d.t : NaN, d.ts, d.account, template, d.reason);
      return;
    }
  }
  journal.append(decisionEntry(d));
}
