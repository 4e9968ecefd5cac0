/**
 * The synchronous, incremental DBN decoder: push decompressed bytes in any chunking, get records
 * out. It keeps only the bytes of the one record (or header) that straddles a chunk boundary, so
 * memory stays constant however large the file. `decodeDbn` is the one-shot form over a Buffer.
 */
import { dbnCorrupt, dbnUnsupported } from './errors.ts';
import { compileLayout, readU64String, type DbnJsonRecord, type RecordDecoder } from './layout.ts';
import { decodeMetadata, METADATA_PREFIX_LEN, readMetadataPrefix, type DbnMetadata } from './metadata.ts';
import { layoutsOf, type DbnVersion } from './schemas.ts';
import { isZstd, zstdDecompressAll } from './zstd.ts';

export interface DbnDecodeOptions {
  /** Record-only stream (a `.frag` file): no metadata header. */
  fragment?: boolean;
  /** DBN version of a fragment's records. When absent it is inferred per record from its length
   * (the version-dependent records — definitions, statistics, symbol mappings, system and error
   * messages — have a distinct size in every version). Ignored when the stream has a header. */
  version?: DbnVersion;
  /** Whether a fragment's records carry the 8-byte `ts_out` (headers say it themselves). */
  tsOut?: boolean;
  /** File name for error messages. */
  source?: string;
}

const RECORD_HEADER_LEN = 16;
const TS_OUT_LEN = 8;
const EMPTY = Buffer.alloc(0);

export class DbnStreamDecoder {
  metadata: DbnMetadata | null = null;
  private pending: Buffer = EMPTY;
  /** Absolute offset (in the decompressed stream) of `pending[0]`. */
  private offset = 0;
  private headerDone: boolean;
  private version: DbnVersion | undefined;
  private tsOut: boolean;
  private readonly decoders = new Map<number, RecordDecoder>();
  readonly source: string | undefined;

  constructor(options: DbnDecodeOptions = {}) {
    this.headerDone = options.fragment === true;
    this.version = options.fragment ? options.version : undefined;
    this.tsOut = options.tsOut === true;
    this.source = options.source;
  }

  /** True once the metadata header (if any) has been decoded. */
  get ready(): boolean {
    return this.headerDone;
  }

  /** Bytes consumed so far (offset of the next record). */
  get position(): number {
    return this.offset;
  }

  /** Decodes every complete record in `pending + chunk` into `out`. */
  push(chunk: Uint8Array, out: DbnJsonRecord[]): void {
    if (chunk.length === 0) return;
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.pending.length === 0 ? bytes : Buffer.concat([this.pending, bytes]);
    let pos = 0;
    if (!this.headerDone) {
      if (buf.length < METADATA_PREFIX_LEN) {
        this.keep(buf, 0);
        return;
      }
      const { totalLen } = readMetadataPrefix(buf, this.source);
      if (buf.length < totalLen) {
        this.keep(buf, 0);
        return;
      }
      this.metadata = decodeMetadata(buf.subarray(0, totalLen), this.source);
      this.version = this.metadata.version;
      this.tsOut = this.metadata.ts_out;
      this.headerDone = true;
      pos = totalLen;
    }
    const end = buf.length;
    while (pos + RECORD_HEADER_LEN <= end) {
      const len = (buf[pos] as number) * 4;
      if (len < RECORD_HEADER_LEN)
        throw dbnCorrupt(this.offset + pos, `record length ${len} bytes is shorter than a record header`, this.source);
      if (pos + len > end) break;
      const rtype = buf[pos + 1] as number;
      const decode = this.decoders.get((rtype << 16) | len) ?? this.compile(rtype, len, this.offset + pos);
      const record = decode(buf, pos);
      if (this.tsOut) record.ts_out = readU64String(buf, pos + len - TS_OUT_LEN);
      out.push(record);
      pos += len;
    }
    this.keep(buf, pos);
  }

  /** Call at end of input: leftover bytes mean the stream was cut inside a header or record. */
  finish(): void {
    if (!this.headerDone) {
      throw dbnCorrupt(this.offset + this.pending.length, 'truncated metadata header (end of data)', this.source);
    }
    if (this.pending.length > 0) {
      const need = this.pending.length >= 1 ? (this.pending[0] as number) * 4 : RECORD_HEADER_LEN;
      throw dbnCorrupt(
        this.offset,
        `truncated record: ${this.pending.length} bytes left, record needs ${Math.max(need, RECORD_HEADER_LEN)}`,
        this.source,
      );
    }
  }

  private keep(buf: Buffer, pos: number): void {
    this.offset += pos;
    // Copy the small tail so the (large) chunk it came from can be freed.
    this.pending = pos === buf.length ? EMPTY : Buffer.from(buf.subarray(pos));
  }

  private compile(rtype: number, len: number, at: number): RecordDecoder {
    const candidates = layoutsOf(rtype);
    const hex = `0x${rtype.toString(16).padStart(2, '0')}`;
    if (candidates.length === 0) throw dbnUnsupported(at, `unknown record type ${hex}`, this.source);
    const body = this.tsOut ? len - TS_OUT_LEN : len;
    const version = this.version;
    const match =
      version !== undefined
        ? candidates.find(([, versions]) => versions.includes(version))
        : (candidates.find(([layout]) => layout.size === body) ??
          (candidates.length === 1 ? candidates[0] : undefined));
    if (!match) {
      throw dbnCorrupt(at, `record type ${hex} of ${len} bytes matches no DBN version's layout`, this.source);
    }
    const [layout] = match;
    const v = version === undefined ? '' : ` in DBN v${version}`;
    if (body < layout.size) {
      throw dbnCorrupt(
        at,
        `record type ${hex} is ${len} bytes${v}, its layout needs ${layout.size + len - body}`,
        this.source,
      );
    }
    if (body > layout.size) {
      throw dbnUnsupported(
        at,
        `record type ${hex} is ${len} bytes${v}, larger than the known layout (${layout.size})`,
        this.source,
      );
    }
    const decoder = compileLayout(layout);
    this.decoders.set((rtype << 16) | len, decoder);
    return decoder;
  }
}

export interface DecodedDbn {
  metadata: DbnMetadata | null;
  records: DbnJsonRecord[];
}

/** One-shot decode of a whole DBN file in memory, zstd-compressed or not. */
export function decodeDbn(data: Uint8Array, options: DbnDecodeOptions = {}): DecodedDbn {
  const raw = isZstd(data) ? zstdDecompressAll(data, options.source) : data;
  const decoder = new DbnStreamDecoder(options);
  const records: DbnJsonRecord[] = [];
  decoder.push(raw, records);
  decoder.finish();
  return { metadata: decoder.metadata, records };
}
