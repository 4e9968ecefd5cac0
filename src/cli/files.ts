/**
 * Files named on the command line: an input must be a readable file (a missing path or a directory
 * is one catalogued error naming it), and an output's missing parent directories are created
 * (docs/decisions.md), so `--out reports/day1.ndjson` works in a fresh checkout.
 */
import { mkdirSync, openSync, statSync, writeFileSync, createWriteStream, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../errors.ts';

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Throws ERR_FILE_NOT_FOUND / ERR_FILE_READ unless `path` is an existing regular file (or device). */
export function requireInputFile(path: string, what: string): void {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new AppError('ERR_FILE_NOT_FOUND', `${what} not found: ${path}`);
  }
  if (isDirectory) throw new AppError('ERR_FILE_READ', `${what} ${path} is a directory, not a file`);
}

/** Creates the missing parent directories of an output file; ERR_FILE_WRITE when it cannot be a file. */
export function prepareOutputFile(path: string, what: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (err) {
    throw new AppError('ERR_FILE_WRITE', `cannot create the directory of ${what} ${path}: ${reason(err)}`);
  }
  let isDirectory = false;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    // Not there yet: it will be created.
  }
  if (isDirectory) throw new AppError('ERR_FILE_WRITE', `${what} ${path} is a directory, not a file`);
}

/** Writes an output file whole (parent directories created). */
export function writeOutputFile(path: string, data: string | Uint8Array, what: string): void {
  prepareOutputFile(path, what);
  try {
    writeFileSync(path, data);
  } catch (err) {
    throw new AppError('ERR_FILE_WRITE', `cannot write ${what} ${path}: ${reason(err)}`);
  }
}

/** A write stream on an output file, opened at once so an unwritable path fails here, catalogued. */
export function openOutputStream(path: string, what: string): WriteStream {
  prepareOutputFile(path, what);
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (err) {
    throw new AppError('ERR_FILE_WRITE', `cannot write ${what} ${path}: ${reason(err)}`);
  }
  return createWriteStream(path, { fd });
}
