/** Canonical JSON (keys sorted recursively, no whitespace, undefined dropped) for hashing. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') throw new TypeError('bigint in canonical JSON: pass decimal strings');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    let s = '[';
    for (let i = 0; i < value.length; i++) s += (i ? ',' : '') + (value[i] === undefined ? 'null' : canonicalJson(value[i]));
    return s + ']';
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let s = '{';
  let first = true;
  for (const k of keys) {
    const v = obj[k];
    if (v === undefined) continue;
    s += (first ? '' : ',') + JSON.stringify(k) + ':' + (v !== null && typeof v === 'object' ? canonicalJson(v) : typeof v === 'bigint' ? canonicalJson(v) : JSON.stringify(v));
    first = false;
  }
  return s + '}';
}
