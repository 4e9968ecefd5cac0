/**
 * The hash worker of `OffThreadChain` (chain-thread.ts): folds batches of records into the hash
 * chain, in order. A batch holds, per record, four ints and a time: [-1, 0, 0, 0] for a record
 * whose preimage comes in `strings` (in order), else [account index (0 = none), chunk id, start,
 * end] for an event read from a file, whose preimage is built here from the chunk text exactly as
 * `recordPreimage` builds it (ts = isoOf(t)). Chunks and new account names ride along with the
 * first batch that needs them; the chain state (last hash, seq) lives here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import crypto from 'node:crypto';
import { isoOf } from '../domain/events.ts';
import { ChunkTexts, type ChunkText } from './chunk-refs.ts';

export interface ChainBatch {
  recs: Int32Array;
  times: Float64Array;
  strings: string[];
  chunks: ChunkText[];
  accounts: string[];
}

const port = parentPort!;
const sha256: (s: string) => string = typeof crypto.hash === 'function' ? (s) => crypto.hash('sha256', s, 'hex') : (s) => crypto.createHash('sha256').update(s).digest('hex');
let hash = (workerData as { genesis: string }).genesis;
let seq = 0;
const heads = ['{"body":'];
const chunks = new ChunkTexts();

port.on('message', (m: Partial<ChainBatch> & { flush?: number }) => {
  if (m.recs !== undefined) fold(m as ChainBatch);
  if (m.flush !== undefined) port.postMessage({ flush: m.flush, seq, hash });
});

function fold(m: ChainBatch): void {
  for (const a of m.accounts) heads.push(`{"account":${JSON.stringify(a)},"body":`);
  chunks.add(m.chunks);
  const { recs, times, strings } = m;
  let next = 0;
  for (let i = 0; i < times.length; i++) {
    seq++;
    const a = recs[4 * i]!;
    let pre: string;
    if (a < 0) pre = strings[next++]!;
    else {
      // The ts as JSON: an ISO time has nothing to escape.
      pre = heads[a]! + chunks.slice(recs[4 * i + 1]!, recs[4 * i + 2]!, recs[4 * i + 3]!) + ',"kind":"event","seq":' + seq + ',"ts":"' + isoOf(times[i]!) + '"}';
    }
    hash = sha256(hash + pre);
  }
  chunks.dropOlder();
}
