/**
 * Zstandard input through fzstd 0.1.1 (pure JS; Node 20 has no built-in zstd). The streaming
 * `Decompress` keeps memory bounded by the zstd window and continues across frame boundaries,
 * so multi-frame files (pzstd output, `multi-frame.*.zst`) decode completely.
 */
import { Decompress } from 'fzstd';
import { AppError } from '../../errors.ts';

/** Zstd frame magic 28 B5 2F FD, or a skippable frame 5? 2A 4D 18. */
export function isZstd(buf: Uint8Array): boolean {
  if (buf.length < 4) return false;
  if (buf[0] === 0x28 && buf[1] === 0xb5 && buf[2] === 0x2f && buf[3] === 0xfd) return true;
  return ((buf[0] ?? 0) & 0xf0) === 0x50 && buf[1] === 0x2a && buf[2] === 0x4d && buf[3] === 0x18;
}

function zstdError(err: unknown, compressedOffset: number, source?: string): AppError {
  const why = err instanceof Error ? err.message : String(err);
  const where = source ? `${source}: ` : '';
  return new AppError(
    'ERR_DBN_CORRUPT',
    `${where}corrupt or truncated zstd data (${why}) at or before compressed byte offset ${compressedOffset}`,
    { compressedOffset },
  );
}

export function zstdDecompressAll(data: Uint8Array, source?: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const stream = new ZstdStream((chunk) => parts.push(chunk), source);
  stream.push(data, true);
  return Buffer.concat(parts);
}

/** Push compressed chunks, receive decompressed chunks; errors become ERR_DBN_CORRUPT. */
export class ZstdStream {
  private readonly inner: Decompress;
  private consumed = 0;

  constructor(
    onData: (chunk: Uint8Array) => void,
    private readonly source?: string,
  ) {
    this.inner = new Decompress((chunk) => {
      if (chunk.length > 0) onData(chunk);
    });
  }

  push(chunk: Uint8Array, final: boolean): void {
    try {
      this.inner.push(chunk, final);
    } catch (err) {
      // Errors of the DBN decoder fed from `onData` pass through unchanged.
      if (err instanceof AppError) throw err;
      throw zstdError(err, this.consumed + chunk.length, this.source);
    }
    this.consumed += chunk.length;
  }
}
