/**
 * Deterministic replay: feeds events through the engine, journals every event and decision, and
 * hands decisions to an observer. Event time is the clock.
 */
import type { EngineEvent } from '../domain/events.ts';
import type { RiskEngine } from './risk-engine.ts';
import { decisionJson, type Decision } from './decision.ts';
import { HashChain, type JournalSink } from './hash-chain.ts';
import { canonicalJson } from './canonical.ts';

export interface ReplayInput {
  event: EngineEvent;
  /** The event as decoded. */
  raw: Record<string, unknown>;
  /** The event's JSON text as written, when read from a file (journaled verbatim). */
  text?: string;
}

export interface ReplayResult {
  events: number;
  head: { seq: number; hash: string };
}

export interface ReplayOptions {
  journal?: JournalSink;
  onDecision?: (d: Decision) => void;
}

/** Processes one event and journals it with its decisions. */
export function step(engine: RiskEngine, journal: JournalSink, input: ReplayInput, onDecision?: (d: Decision) => void): Decision[] {
  const decisions = engine.process(input.event);
  const account = typeof input.raw.account === 'string' ? input.raw.account : undefined;
  journal.append(
    account === undefined
      ? { ts: input.event.ts, kind: 'event', body: input.raw, bodyText: input.text ?? canonicalJson(input.raw) }
      : { ts: input.event.ts, kind: 'event', account, body: input.raw, bodyText: input.text ?? canonicalJson(input.raw) },
  );
  for (const d of decisions) {
    journal.append({ ts: d.ts, kind: 'decision', account: d.account, body: decisionJson(d) });
    onDecision?.(d);
  }
  return decisions;
}

/** Replays a source of events, or of event batches (the fast path: one await per batch). */
export async function runReplay(
  engine: RiskEngine,
  source: AsyncIterable<ReplayInput | readonly ReplayInput[]> | Iterable<ReplayInput | readonly ReplayInput[]>,
  opts: ReplayOptions = {},
): Promise<ReplayResult> {
  const journal: JournalSink = opts.journal ?? new HashChain();
  let events = 0;
  for await (const item of source) {
    if (Array.isArray(item)) {
      for (const input of item as readonly ReplayInput[]) step(engine, journal, input, opts.onDecision);
      events += item.length;
    } else {
      step(engine, journal, item as ReplayInput, opts.onDecision);
      events++;
    }
  }
  journal.flush?.();
  return { events, head: journal.head() };
}
