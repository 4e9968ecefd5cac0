/**
 * Streaming reader of DBN files (the databento adapter's I/O shell): reads the file in chunks,
 * decompresses zstd on the fly, and yields records through an async iterator. Memory is bounded
 * by one chunk plus the zstd window, so multi-GB files replay in constant memory.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { AppError } from '../../errors.ts';
import { DbnStreamDecoder, type DbnDecodeOptions } from './decoder.ts';
import type { DbnJsonRecord } from './layout.ts';
import type { DbnMetadata } from './metadata.ts';
import { isZstd, ZstdStream } from './zstd.ts';

export interface DbnReadOptions extends DbnDecodeOptions {
  /** Bytes read from disk per step (default 256 KiB). */
  chunkSize?: number;
}

const DEFAULT_CHUNK = 256 << 10;
/** Compressed bytes handed to zstd per step. DBN compresses ~5-20x, so one step yields a few
 * thousand records; feeding a whole 1 MiB chunk at once could expand to hundreds of MB of records. */
const ZSTD_FEED = 16 << 10;
const EMPTY = Buffer.alloc(0);

/** `.frag`, `.frag.zst`: record-only fragments without a metadata header. */
export function looksLikeFragment(path: string): boolean {
  return /\.frag(\.zst)?$/i.test(path);
}

export class DbnFileReader implements AsyncIterable<DbnJsonRecord> {
  private readonly decoder: DbnStreamDecoder;
  private zstd: ZstdStream | null = null;
  private started = false;
  /** First bytes held back until there are enough (4) to tell zstd from raw DBN. */
  private head: Buffer = Buffer.alloc(0);
  private eof = false;
  private queue: DbnJsonRecord[] = [];
  /** The current disk chunk of a zstd file, fed to the decompressor ZSTD_FEED bytes per step. */
  private compressed: Buffer = EMPTY;
  private compressedPos = 0;

  private constructor(
    private readonly file: FileHandle,
    private readonly chunkSize: number,
    options: DbnDecodeOptions,
  ) {
    this.decoder = new DbnStreamDecoder(options);
  }

  /** Opens the file and reads until the metadata header is decoded (if the file has one). */
  static async open(path: string, options: DbnReadOptions = {}): Promise<DbnFileReader> {
    let file: FileHandle;
    try {
      file = await open(path, 'r');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new AppError('ERR_FILE_NOT_FOUND', `DBN file not found: ${path}`);
      throw err;
    }
    const decodeOptions: DbnDecodeOptions = {
      ...options,
      fragment: options.fragment ?? looksLikeFragment(path),
      source: options.source ?? path,
    };
    const reader = new DbnFileReader(file, options.chunkSize ?? DEFAULT_CHUNK, decodeOptions);
    try {
      while (!reader.decoder.ready && !reader.eof) await reader.step();
    } catch (err) {
      await reader.close();
      throw err;
    }
    return reader;
  }

  get metadata(): DbnMetadata | null {
    return this.decoder.metadata;
  }

  async close(): Promise<void> {
    this.eof = true;
    await this.file.close().catch(() => undefined);
  }

  /** Records in batches (one per disk chunk): the fast path for bulk consumers. */
  async *batches(): AsyncGenerator<DbnJsonRecord[]> {
    try {
      if (this.queue.length > 0) {
        const first = this.queue;
        this.queue = [];
        yield first;
      }
      while (!this.eof) {
        await this.step();
        if (this.queue.length > 0) {
          const batch = this.queue;
          this.queue = [];
          yield batch;
        }
      }
    } finally {
      await this.close();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<DbnJsonRecord> {
    for await (const batch of this.batches()) yield* batch;
  }

  /** One bounded unit of work: feed the next zstd piece, or read (and decode) one disk chunk. */
  private async step(): Promise<void> {
    if (this.zstd && this.compressedPos < this.compressed.length) {
      const end = Math.min(this.compressedPos + ZSTD_FEED, this.compressed.length);
      this.zstd.push(this.compressed.subarray(this.compressedPos, end), false);
      this.compressedPos = end;
      return;
    }
    const chunk = Buffer.allocUnsafe(this.chunkSize);
    const { bytesRead } = await this.file.read(chunk, 0, this.chunkSize, null);
    let data = chunk.subarray(0, bytesRead);
    const final = bytesRead === 0;
    if (!this.started) {
      data = Buffer.concat([this.head, data]);
      if (data.length < 4 && !final) {
        this.head = data;
        return;
      }
      this.started = true;
      if (isZstd(data)) this.zstd = new ZstdStream((out) => this.decoder.push(out, this.queue), this.decoder.source);
    }
    if (this.zstd) {
      this.compressed = data;
      this.compressedPos = 0;
      if (final) this.zstd.push(EMPTY, true);
    } else {
      this.decoder.push(data, this.queue);
    }
    if (final) {
      this.eof = true;
      await this.file.close().catch(() => undefined);
      this.decoder.finish();
    }
  }
}

/** Reads a whole DBN file through the streaming path (small files, tests, the CLI's --metadata). */
export async function readDbnFile(
  path: string,
  options: DbnReadOptions = {},
): Promise<{ metadata: DbnMetadata | null; records: DbnJsonRecord[] }> {
  const reader = await DbnFileReader.open(path, options);
  const records: DbnJsonRecord[] = [];
  for await (const batch of reader.batches()) for (const r of batch) records.push(r);
  return { metadata: reader.metadata, records };
}
