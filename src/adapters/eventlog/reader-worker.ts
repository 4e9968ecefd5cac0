/**
 * The reader's worker thread (reader-thread.ts): reads, parses and validates the event file with
 * the same line layer as the in-thread reader, and posts each chunk's events in the compact form
 * of event-codec.ts. At most `AHEAD` batches are in flight: the engine thread acknowledges each
 * one it has taken, so memory stays bounded when the engine is the slower side.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { AppError } from '../../errors.ts';
import { forEachLine, LineParser, lineChunkBytes, newReadStats } from './lines.ts';
import { EventEncoder } from './event-codec.ts';

export interface ReaderWorkerData {
  path: string;
  chunkBytes?: number;
  skipBad?: boolean;
  fromLine?: number;
  /** Where each chunk's text goes, as { id, text }, before the batch that refers to it. */
  chunkPort?: MessagePort;
}

const AHEAD = 4;
/** The first read is small: the engine thread starts on it while this thread's code warms up. */
const FIRST_READ_BYTES = 64 << 10;
const port = parentPort!;
const data = workerData as ReaderWorkerData;
let inFlight = 0;
let wake: (() => void) | undefined;
port.on('message', () => {
  inFlight--;
  wake?.();
});

const stats = newReadStats();
let chunkIds = 0;

async function run(): Promise<void> {
  const parser = new LineParser(stats, data);
  const encoder = new EventEncoder();
  const scanner = encoder.scanner;
  for await (const { text, bytes } of lineChunkBytes(data.path, stats, data.chunkBytes, FIRST_READ_BYTES)) {
    encoder.begin(text);
    // A chunk with one character per byte (ASCII; a lone invalid byte decodes to one U+FFFD) has
    // its lines at the same places in bytes and text; otherwise each line's bytes are found, and
    // only lines with one character per byte are scanned.
    const samePlaces = bytes.length === text.length;
    let byteStart = 0;
    forEachLine(text, (start, end) => {
      let delta = 0; // char place − byte place
      let scannable = true;
      if (!samePlaces) {
        const nl = bytes.indexOf(10, byteStart);
        const byteEnd = nl === -1 ? bytes.length : nl;
        scannable = byteEnd - byteStart === end - start;
        delta = start - byteStart;
        byteStart = byteEnd + 1;
      }
      if (!parser.next(text, start, end)) return;
      // The common lines straight into the compact form; the rest (and every bad line) the general way.
      const lineEnd = parser.end;
      if (
        scannable &&
        scanner.scan(bytes, start - delta, lineEnd - delta, text, delta) &&
        parser.inOrder(scanner.t) &&
        encoder.addScanned(parser.line, start, lineEnd)
      )
        parser.accept(scanner.t);
      else if (parser.parseCounted(text, start)) encoder.addLine(parser.line, start, lineEnd);
    });
    const batch = encoder.take();
    while (inFlight >= AHEAD) await new Promise<void>((resolve) => (wake = resolve));
    inFlight++;
    if (data.chunkPort && batch.count > 0) {
      batch.chunkId = ++chunkIds;
      data.chunkPort.postMessage({ id: batch.chunkId, text });
    }
    port.postMessage({ batch, stats }, [batch.ints.buffer, batch.nums.buffer]);
  }
  port.postMessage({ done: stats });
}

run().catch((err: unknown) => {
  const e =
    err instanceof AppError
      ? err
      : new AppError('ERR_FILE_READ', `${data.path}: ${err instanceof Error ? err.message : String(err)}`);
  port.postMessage({ error: { code: e.code, message: e.message, details: e.details }, stats });
});
