/**
 * What `OffThreadChain` (chain-thread.ts) sends its hash worker (chain-worker.ts): per record,
 * RECORD_INTS ints and a time. [-1, …] for a record whose preimage comes in `strings` (in order);
 * else [account index (0 = none), chunk id, start, end, ts place] for an event line read from a
 * file (a chunk id < 0: −(the id under which the reader posted the text to the worker's chunk
 * port), see `OffThreadChain.chunkPort`), whose preimage the worker builds from the chunk text exactly as `recordPreimage` does: the
 * ts is the 24 characters at the ts place (a canonical ISO time, which equals isoOf(t)), or
 * isoOf(t) when the place is −1; [DECISION, …] for a decision by template (below). Chunks,
 * templates and new account names ride along with the first batch that needs them.
 */
import type { ChunkText } from './chunk-refs.ts';

export const RECORD_INTS = 5;

/**
 * [DECISION, account index, template id, ts given, 0] for a decision by template
 * (`OffThreadChain.appendDecision`): its reason is the next entry of `strings`, then its ts when
 * "ts given" is 1 (else the ts is isoOf(time)). The worker writes the body as the template says.
 */
export const DECISION = -2;

/** A decision body's text around its reason and ts (engine/journal-port.ts `BodyTemplate`). */
export interface BodyTemplateText {
  readonly id: number;
  readonly head: string;
  readonly middle: string;
  readonly tail: string;
}

/** Length of a canonical ISO time (YYYY-MM-DDTHH:MM:SS.mmmZ). */
export const ISO_LENGTH = 24;

export interface ChainBatch {
  recs: Int32Array;
  times: Float64Array;
  strings: string[];
  chunks: ChunkText[];
  accounts: string[];
  /** Templates first used in this batch; `resetTemplates`: forget the earlier ones first. */
  templates: BodyTemplateText[];
  resetTemplates: boolean;
}
