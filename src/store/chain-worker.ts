/**
 * The hash worker of `OffThreadChain` (chain-thread.ts): folds batches of records (chain-batch.ts)
 * into the hash chain, in order. The chain state (last hash, seq) lives here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import crypto from 'node:crypto';
import { isoOf } from '../domain/events.ts';
import { ChunkTexts } from './chunk-refs.ts';
import { ISO_LENGTH, RECORD_INTS, type ChainBatch } from './chain-batch.ts';

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
    const at = RECORD_INTS * i;
    const a = recs[at]!;
    let pre: string;
    if (a < 0) pre = strings[next++]!;
    else {
      const text = chunks.text(recs[at + 1]!);
      const tsAt = recs[at + 4]!;
      // The ts as JSON: an ISO time has nothing to escape.
      const ts = tsAt < 0 ? isoOf(times[i]!) : text.slice(tsAt, tsAt + ISO_LENGTH);
      pre = heads[a]! + text.slice(recs[at + 2]!, recs[at + 3]!) + ',"kind":"event","seq":' + seq + ',"ts":"' + ts + '"}';
    }
    hash = sha256(hash + pre);
  }
  chunks.dropOlder();
}
