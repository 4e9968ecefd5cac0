/**
 * Deterministic replay: feeds events through the engine, journals every event and decision, and
 * hands decisions to an observer. Event time is the clock.
 */
import type { EngineEvent } from '../domain/events.ts';
import type { RiskEngine } from './risk-engine.ts';
import { decisionJson, type Decision } from './decision.ts';
import { HashChain, type JournalSink } from './hash-chain.ts';

export interface ReplayInput {
  event: EngineEvent;
  /** The event as written (journaled verbatim). */
  raw: Record<string, unknown>;
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
  journal.append({ ts: input.event.ts, kind: 'event', ...(account ? { account } : {}), body: input.raw });
  for (const d of decisions) {
    journal.append({ ts: d.ts, kind: 'decision', account: d.account, body: decisionJson(d) });
    onDecision?.(d);
  }
  return decisions;
}

export async function runReplay(engine: RiskEngine, source: AsyncIterable<ReplayInput> | Iterable<ReplayInput>, opts: ReplayOptions = {}): Promise<ReplayResult> {
  const journal: JournalSink = opts.journal ?? new HashChain();
  let events = 0;
  for await (const input of source) {
    step(engine, journal, input, opts.onDecision);
    events++;
  }
  journal.flush?.();
  return { events, head: journal.head() };
}
