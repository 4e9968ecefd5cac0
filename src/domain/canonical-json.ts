/**
 * Canonical JSON for the journal hash chain (DESIGN §1, §5 `journal verify`): object keys sorted
 * recursively (UTF-16 code-unit order, as `Array.prototype.sort`), no whitespace, numbers as
 * `JSON.stringify` prints them. The same value always yields the same bytes, so a hash over it is
 * reproducible by any verifier.
 *
 * Deliberately strict: values that JSON would silently change or drop are errors, because a
 * journal record that does not round-trip is a record whose hash cannot be re-checked later.
 * - `bigint` is rejected: money crosses interfaces as decimal strings (DESIGN §1 invariant 5).
 * - `NaN`/`Infinity` (JSON prints `null`), `undefined` inside arrays, functions and symbols are
 *   rejected. `undefined` object properties are omitted, as in JSON.
 * - Only plain objects, arrays and objects with `toJSON` (e.g. `Date`) are accepted; a `Map`,
 *   `Set` or class instance would serialise to something that does not read back as itself.
 */
import { AppError } from '../errors.ts';

class CanonicalJsonError extends Error {
  constructor(
    readonly reason: string,
    public path: string,
  ) {
    super(reason);
  }
}

/** Canonical JSON text of `value`; throws `ERR_JOURNAL_RECORD_INVALID` naming the bad field. */
export function canonicalJson(value: unknown, what = 'body'): string {
  try {
    return write(value);
  } catch (err) {
    if (err instanceof CanonicalJsonError) {
      throw new AppError('ERR_JOURNAL_RECORD_INVALID', `${what}${err.path}: ${err.reason}`);
    }
    throw err;
  }
}

function write(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      if (!Number.isFinite(v)) throw new CanonicalJsonError(`${String(v)} is not representable in JSON`, '');
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      throw new CanonicalJsonError('bigint is not allowed; pass a decimal string', '');
    case 'object':
      if (v === null) return 'null';
      if (Array.isArray(v)) return writeArray(v);
      return writeObject(v as Record<string, unknown>);
    default:
      throw new CanonicalJsonError(`${typeof v} is not JSON`, '');
  }
}

function writeArray(arr: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < arr.length; i++) {
    const item = arr[i];
    if (item === undefined) throw new CanonicalJsonError('undefined array element is not JSON', `[${i}]`);
    if (i > 0) out += ',';
    try {
      out += write(item);
    } catch (err) {
      if (err instanceof CanonicalJsonError) err.path = `[${i}]${err.path}`;
      throw err;
    }
  }
  return out + ']';
}

function writeObject(obj: Record<string, unknown>): string {
  const toJSON = (obj as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return write((toJSON as () => unknown).call(obj));
  const proto: unknown = Object.getPrototypeOf(obj);
  if (proto !== Object.prototype && proto !== null) {
    const name = (obj as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new CanonicalJsonError(`${name} is not a plain JSON object`, '');
  }
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = obj[key];
    if (item === undefined) continue;
    let text: string;
    try {
      text = write(item);
    } catch (err) {
      if (err instanceof CanonicalJsonError) err.path = `.${key}${err.path}`;
      throw err;
    }
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + text;
    first = false;
  }
  return out + '}';
}
