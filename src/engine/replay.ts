/**
 * Deterministic replay (`riskgate replay`, the bench): every event of a source through `step`, with
 * enforcement executed at the mark in enforce mode. Event time is the clock.
 */
import { AppError } from '../errors.ts';
import type { RiskEngine } from './risk-engine.ts';
import type { Decision } from './decision.ts';
import type { JournalSink } from './journal-port.ts';
import { step, type ReplayInput } from './step.ts';

export interface ReplayResult {
  events: number;
  head: { seq: number; hash: string };
}

export interface ReplayOptions {
  journal: JournalSink;
  onDecision?: (d: Decision) => void;
}

/**
 * Replays a source of events, or of event batches (the fast path: one await per batch). An error
 * an event raises (out of time order, an unknown instrument …) names the input line it came from.
 */
export async function runReplay(
  engine: RiskEngine,
  source: AsyncIterable<ReplayInput | readonly ReplayInput[]> | Iterable<ReplayInput | readonly ReplayInput[]>,
  opts: ReplayOptions,
): Promise<ReplayResult> {
  const { journal } = opts;
  let events = 0;
  let input: ReplayInput | undefined;
  try {
    for await (const item of source) {
      if (Array.isArray(item)) {
        for (input of item as readonly ReplayInput[]) step(engine, journal, input, opts.onDecision, true);
        events += item.length;
      } else {
        input = item as ReplayInput;
        step(engine, journal, input, opts.onDecision, true);
        events++;
      }
      input = undefined;
    }
  } catch (err) {
    throw input?.line === undefined ? err : withLine(err, input.line);
  }
  // A journal whose writes run on another thread returns a promise: the head is read once done.
  await journal.flush?.();
  return { events, head: journal.head() };
}

/** The error of an event, naming its input line as a malformed line's error does (lines.ts). */
function withLine(err: unknown, line: number): unknown {
  if (!(err instanceof AppError) || err.details?.line !== undefined) return err;
  return new AppError(err.code, `line ${line}: ${err.message}`, { ...err.details, line });
}
