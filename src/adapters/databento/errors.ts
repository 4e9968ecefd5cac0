/**
 * DBN failures are catalogued AppErrors (src/errors.ts) that name the byte offset where decoding
 * stopped, so a truncated download or a corrupt file can be located with `xxd -s`.
 * For zstd input the offset is in the decompressed stream (that is where records live).
 */
import { AppError } from '../../errors.ts';

export function dbnCorrupt(offset: number, what: string, source?: string): AppError {
  return new AppError('ERR_DBN_CORRUPT', `${prefix(source)}${what} at byte offset ${offset}`, { offset });
}

export function dbnUnsupported(offset: number, what: string, source?: string): AppError {
  return new AppError('ERR_DBN_UNSUPPORTED', `${prefix(source)}${what} at byte offset ${offset}`, { offset });
}

function prefix(source: string | undefined): string {
  return source ? `${source}: ` : '';
}
