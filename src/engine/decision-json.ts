/**
 * The texts of a decision, written straight from the decision: its journal body,
 * `canonicalJson(decisionJson(d))`, and its `--out` line, `JSON.stringify(decisionJson(d))`. A
 * replay where accounts keep trading after a lock journals a decision for a quarter of its events,
 * and the general writers (an object per decision, its keys sorted, every value's type looked at)
 * cost more than the engine's own work on them. Here the key order is fixed in code, and the names
 * decisions repeat (accounts, rules, actions, symbols, outcome kinds) are quoted once each. Same
 * bytes as the general writers (decision-json.test.ts checks both on generated decisions); a
 * decision with a value of an unexpected type goes the general way.
 */
import { canonicalJson } from '../domain/canonical-json.ts';
import { formatFixed } from '../domain/money.ts';
import { isoOf } from '../domain/events.ts';
import type { Outcome } from '../risk/rule.ts';
import { decisionJson, untilLabel, type Decision } from './decision.ts';
import type { JournalEntryLike } from './journal-port.ts';

/** JSON texts of the short strings decisions repeat; bounded, as account names come from input. */
const quoted = new Map<string, string>();
const QUOTED_MAX = 4096;

function q(s: string): string {
  let text = quoted.get(s);
  if (text === undefined) {
    if (quoted.size >= QUOTED_MAX) quoted.clear();
    text = JSON.stringify(s);
    quoted.set(s, text);
  }
  return text;
}

// Decisions of one event share its time, and the times of a day its end: the last texts are kept.
let lastTs = '';
let lastTsJson = '""';
let lastUntil = '';
let lastUntilJson = '""';

function tsJson(ts: string): string {
  if (ts !== lastTs) {
    lastTsJson = JSON.stringify(ts);
    lastTs = ts;
  }
  return lastTsJson;
}

function untilJson(until: string): string {
  if (until !== lastUntil) {
    lastUntilJson = JSON.stringify(until);
    lastUntil = until;
  }
  return lastUntilJson;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isOptionalString = (v: unknown): v is string | undefined => v === undefined || typeof v === 'string';

/** Whether the fixed-order writers below print this decision exactly as the general ones would. */
function writable(d: Decision): boolean {
  return (
    isString(d.ts) &&
    isString(d.account) &&
    isString(d.kind) &&
    isString(d.rule) &&
    isString(d.action) &&
    isString(d.reason) &&
    isOptionalString(d.symbol) &&
    isOptionalString(d.orderId) &&
    isOptionalString(d.until) &&
    Array.isArray(d.outcomes)
  );
}

/** An outcome's JSON text with sorted keys (as decisionJson shapes it), or undefined: go the general way. */
function outcomeCanonical(o: Outcome): string | undefined {
  switch (o.kind) {
    case 'trim':
      return isString(o.symbol) && typeof o.toQty === 'bigint'
        ? `{"kind":"trim","symbol":${q(o.symbol)},"toQty":"${formatFixed(o.toQty)}"}`
        : undefined;
    case 'move_stop':
      return isString(o.orderId) && typeof o.stopPrice === 'bigint'
        ? `{"kind":"move_stop","orderId":${q(o.orderId)},"stopPrice":"${formatFixed(o.stopPrice)}"}`
        : undefined;
    case 'cooldown':
      return typeof o.until === 'number' ? `{"kind":"cooldown","until":${untilJson(isoOf(o.until))}}` : undefined;
    case 'lockout':
      return typeof o.until === 'number' || o.until === 'admin' || o.until === 'canTrade'
        ? `{"kind":"lockout","until":${untilJson(untilLabel(o.until))}}`
        : undefined;
    default:
      return plainOutcome(o, true);
  }
}

/**
 * The outcomes decisionJson copies as they are (`{ ...o }`): the usual shapes, `{ kind }` and
 * `{ kind, symbol }` with string values, written here; any other goes the general way.
 */
function plainOutcome(o: Outcome, sorted: boolean): string | undefined {
  if (Object.getPrototypeOf(o) !== Object.prototype || !isString(o.kind)) return undefined;
  const keys = Object.keys(o);
  if (keys.length === 1) return `{"kind":${q(o.kind)}}`;
  const symbol = (o as { symbol?: unknown }).symbol;
  if (keys.length !== 2 || !isString(symbol) || !(keys[0] === 'symbol' || keys[1] === 'symbol')) return undefined;
  // Insertion order (JSON.stringify) puts symbol where the rule put it; sorted order after kind.
  return sorted || keys[1] === 'symbol'
    ? `{"kind":${q(o.kind)},"symbol":${q(symbol)}}`
    : `{"symbol":${q(symbol)},"kind":${q(o.kind)}}`;
}

/** An outcome as decisionJson shapes it, in its insertion order (the `--out` line). */
function outcomeInOrder(o: Outcome): string | undefined {
  switch (o.kind) {
    case 'trim':
    case 'move_stop':
    case 'cooldown':
    case 'lockout':
      return outcomeCanonical(o); // their keys are in the same order either way
    default:
      return plainOutcome(o, false);
  }
}

function outcomesText(outcomes: readonly Outcome[], write: (o: Outcome) => string | undefined): string | undefined {
  let text = '[';
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i];
    const one = o === null || typeof o !== 'object' ? undefined : write(o);
    if (one === undefined) return undefined;
    text += i === 0 ? one : ',' + one;
  }
  return text + ']';
}

/**
 * A decision's journal body as the text around its reason and its ts: the body is
 * `head + JSON.stringify(reason) + middle + JSON.stringify(ts) + tail`. Undefined for a decision
 * the fixed-order writer leaves to the general one.
 */
export interface BodyParts {
  readonly head: string;
  readonly middle: string;
  readonly tail: string;
}

export function decisionBodyParts(d: Decision): BodyParts | undefined {
  const outcomes = writable(d) ? outcomesText(d.outcomes, outcomeCanonical) : undefined;
  if (outcomes === undefined) return undefined;
  // Keys in code-unit order: account action kind orderId outcomes reason rule symbol ts until.
  return {
    head:
      `{"account":${q(d.account)},"action":${q(d.action)},"kind":${q(d.kind)}` +
      (d.orderId === undefined ? '' : `,"orderId":${q(d.orderId)}`) +
      `,"outcomes":${outcomes},"reason":`,
    middle: `,"rule":${q(d.rule)}` + (d.symbol === undefined ? '' : `,"symbol":${q(d.symbol)}`) + ',"ts":',
    tail: (d.until === undefined ? '' : `,"until":${untilJson(d.until)}`) + '}',
  };
}

/** The journal body of a decision: exactly `canonicalJson(decisionJson(d))`. */
export function decisionBodyJson(d: Decision): string {
  const parts = decisionBodyParts(d);
  if (parts === undefined) return canonicalJson(decisionJson(d));
  return parts.head + JSON.stringify(d.reason) + parts.middle + tsJson(d.ts) + parts.tail;
}

/** A decision's `--out` line (no newline): exactly `JSON.stringify(decisionJson(d))`. */
export function decisionLine(d: Decision): string {
  const outcomes = writable(d) ? outcomesText(d.outcomes, outcomeInOrder) : undefined;
  if (outcomes === undefined) return JSON.stringify(decisionJson(d));
  return (
    `{"ts":${tsJson(d.ts)},"account":${q(d.account)},"kind":${q(d.kind)},"rule":${q(d.rule)},"action":${q(d.action)}` +
    (d.symbol === undefined ? '' : `,"symbol":${q(d.symbol)}`) +
    (d.orderId === undefined ? '' : `,"orderId":${q(d.orderId)}`) +
    (d.until === undefined ? '' : `,"until":${untilJson(d.until)}`) +
    `,"reason":${JSON.stringify(d.reason)},"outcomes":${outcomes}}`
  );
}

/**
 * A decision's journal record: the body text at hand (what every journal stores and hashes), the
 * body object built only if a journal asks for it.
 */
class DecisionEntry implements JournalEntryLike {
  readonly kind = 'decision';
  readonly ts: string;
  readonly account: string;
  readonly bodyJson: string;
  private readonly decision: Decision;
  private json: Record<string, unknown> | undefined;

  constructor(d: Decision) {
    this.decision = d;
    this.ts = d.ts;
    this.account = d.account;
    this.bodyJson = decisionBodyJson(d);
  }

  get body(): Record<string, unknown> {
    return (this.json ??= decisionJson(this.decision));
  }
}

/** The journal record of a decision, at the decision's time. */
export function decisionEntry(d: Decision): JournalEntryLike {
  return new DecisionEntry(d);
}
