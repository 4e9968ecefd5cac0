/**
 * One event through the engine (live, ingest, recovery and replay share it): the engine decides,
 * the event and its decisions are journaled in time order, and an observer sees the decisions.
 * Event time is the clock.
 */
import type { EngineEvent } from '../domain/events.ts';
import { canonicalIsoMs, isoOf, lineAccount } from '../domain/events.ts';
import type { RiskEngine } from './risk-engine.ts';
import type { Decision } from './decision.ts';
import { journalDecision } from './decision-template.ts';
import type { JournalSink } from './journal-port.ts';
import { simulateEnforcement } from './simulated-enforcement.ts';

export interface ReplayInput {
  readonly event: EngineEvent;
  /** The event as decoded (journaled as the body when there is no text). */
  readonly raw: Record<string, unknown>;
  /** The event's JSON text as written, when read from a file (journaled verbatim). */
  readonly text?: string;
  /**
   * A line read from a file (reader.ts): the decoded chunk holding it (`start`…`end`) and the
   * line's "account" string. With a chunk, `raw` and `text` are only read when the journal has no
   * `appendEventText`.
   */
  readonly chunk?: string;
  readonly start?: number;
  readonly end?: number;
  readonly account?: string;
  /** Where the line's ts is in the chunk when canonical, else −1 (numbered-event.ts). */
  readonly tsStart?: number;
  /** The chunk's id at the journal when the reader posted its text there, else 0 (numbered-event.ts). */
  readonly chunkId?: number;
  /** The input line number (file readers), named by errors the event raises. */
  readonly line?: number;
}

// Consecutive events often share a timestamp (an order, its fill, the protective stop): the last
// answer is reused for the same text and time.
let lastTsText: string | undefined;
let lastTsTime = NaN;
let lastTsCanonical = '';

/** The journal's `ts` of an event: its own text when canonical (it then equals `isoOf(t)`). */
function canonicalTs(text: string, t: number): string {
  if (text === lastTsText && t === lastTsTime) return lastTsCanonical;
  lastTsText = text;
  lastTsTime = t;
  lastTsCanonical = canonicalIsoMs(text) === t ? text : isoOf(t);
  return lastTsCanonical;
}

/**
 * Processes one event and journals it with its decisions. Decisions of timers that fired before
 * the event (ts = their deadline, earlier than the event) are journaled before it, so journal
 * time never goes backwards.
 */
export function step(
  engine: RiskEngine,
  journal: JournalSink,
  input: ReplayInput,
  onDecision?: (d: Decision) => void,
  simulate = false,
): Decision[] {
  const decisions = engine.process(input.event);
  // Without a broker (replay, ingest in enforce mode), closes are executed at the mark; live, the
  // broker's fills come back as events instead.
  if (simulate && engine.mode === 'enforce' && decisions.length)
    decisions.push(...simulateEnforcement(engine, decisions));
  const t = input.event.t;
  let i = 0;
  for (; i < decisions.length && decisions[i]!.t < t; i++) journalDecision(journal, decisions[i]!);
  const fromFile = input.chunk !== undefined;
  const account = fromFile ? input.account : lineAccount(input.raw);
  if (fromFile && journal.appendEventText !== undefined) {
    // The record's ts is isoOf(t): what canonicalTs gives (a canonical text equals isoOf(t)).
    journal.appendEventText(
      t,
      account,
      input.chunk!,
      input.start!,
      input.end!,
      input.tsStart ?? -1,
      input.chunkId ?? 0,
    );
  } else appendEvent(journal, input, account, t);
  for (; i < decisions.length; i++) journalDecision(journal, decisions[i]!);
  if (onDecision) for (const d of decisions) onDecision(d);
  return decisions;
}

function appendEvent(journal: JournalSink, input: ReplayInput, account: string | undefined, t: number): void {
  // The journal wants the canonical form; the event's own text already is when it parses as such.
  const ts = canonicalTs(input.event.ts, t);
  const body = input.raw;
  if (input.text !== undefined)
    journal.append(
      account === undefined
        ? { ts, kind: 'event', body, bodyJson: input.text }
        : { ts, kind: 'event', account, body, bodyJson: input.text },
    );
  else journal.append(account === undefined ? { ts, kind: 'event', body } : { ts, kind: 'event', account, body });
}
