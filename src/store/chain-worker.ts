/**
 * The hash worker of `OffThreadChain` (chain-thread.ts): folds batches of records (chain-batch.ts)
 * into the hash chain, in order. The chain state (last hash, seq) lives here.
 */
import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import crypto from 'node:crypto';
import { isoOf } from '../domain/events.ts';
import { ChunkTexts } from './chunk-refs.ts';
import { DECISION, ISO_LENGTH, RECORD_INTS, type BodyTemplateText, type ChainBatch } from './chain-batch.ts';

const port = parentPort!;
const sha256: (s: string) => string =
  typeof crypto.hash === 'function'
    ? (s) => crypto.hash('sha256', s, 'hex')
    : (s) => crypto.createHash('sha256').update(s).digest('hex');
let hash = (workerData as { genesis: string }).genesis;
let seq = 0;
const heads = ['{"body":'];
const chunks = new ChunkTexts();
const templates = new Map<number, BodyTemplateText>();

/** Chunk texts the reader posted (`OffThreadChain.chunkPort`), by id: the newest kept. */
let readerPort: MessagePort | undefined;
const posted = new Map<number, string>();

/**
 * The text of a chunk the reader posted: it posts a chunk before handing its events to the engine
 * thread, so by the time a record names it, it waits in the port (taken as needed, in order).
 */
function postedText(id: number): string {
  let text = posted.get(id);
  while (text === undefined) {
    const m =
      readerPort === undefined
        ? undefined
        : (receiveMessageOnPort(readerPort)?.message as { id: number; text: string } | undefined);
    if (m === undefined) throw new Error(`chunk ${id} never arrived from the reader`);
    for (const old of posted.keys()) if (old < m.id) posted.delete(old);
    posted.set(m.id, m.text);
    if (m.id === id) text = m.text;
  }
  return text;
}

port.on('message', (m: Partial<ChainBatch> & { flush?: number; chunkPort?: MessagePort }) => {
  if (m.chunkPort !== undefined) readerPort = m.chunkPort;
  if (m.recs !== undefined) fold(m as ChainBatch);
  if (m.flush !== undefined) port.postMessage({ flush: m.flush, seq, hash });
});

function fold(m: ChainBatch): void {
  for (const a of m.accounts) heads.push(`{"account":${JSON.stringify(a)},"body":`);
  chunks.add(m.chunks);
  if (m.resetTemplates) templates.clear();
  for (const t of m.templates) templates.set(t.id, t);
  const { recs, times, strings } = m;
  let next = 0;
  for (let i = 0; i < times.length; i++) {
    seq++;
    const at = RECORD_INTS * i;
    const a = recs[at]!;
    let pre: string;
    if (a === DECISION) {
      // A decision by template: the body as decision-json.ts writes it, in the record as recordPreimage does.
      const template = templates.get(recs[at + 2]!)!;
      const reason = strings[next++]!;
      const ts = recs[at + 3] === 0 ? `"${isoOf(times[i]!)}"` : JSON.stringify(strings[next++]!);
      pre =
        heads[recs[at + 1]!]! +
        template.head +
        JSON.stringify(reason) +
        template.middle +
        ts +
        template.tail +
        ',"kind":"decision","seq":' +
        seq +
        ',"ts":' +
        ts +
        '}';
    } else if (a < 0) pre = strings[next++]!;
    else {
      const id = recs[at + 1]!;
      const text = id < 0 ? postedText(-id) : chunks.text(id);
      const tsAt = recs[at + 4]!;
      // The ts as JSON: an ISO time has nothing to escape.
      const ts = tsAt < 0 ? isoOf(times[i]!) : text.slice(tsAt, tsAt + ISO_LENGTH);
      pre =
        heads[a]! + text.slice(recs[at + 2]!, recs[at + 3]!) + ',"kind":"event","seq":' + seq + ',"ts":"' + ts + '"}';
    }
    hash = sha256(hash + pre);
  }
  chunks.dropOlder();
}
