import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isAppError } from '../errors.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * An independent oracle: JSON.stringify with an array replacer lists properties in the array's
 * order for every object, so passing all keys of the tree, sorted, yields sorted-key JSON.
 */
function oracle(value: unknown): string {
  const keys = new Set<string>();
  const walk = (v: unknown): void => {
    if (typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) v.forEach(walk);
    else for (const [k, x] of Object.entries(v)) {
      keys.add(k);
      walk(x);
    }
  };
  walk(value);
  return JSON.stringify(value, [...keys].sort());
}

function rejects(value: unknown, pathPart: string): void {
  assert.throws(
    () => canonicalJson(value),
    (err: unknown) => isAppError(err) && err.code === 'ERR_JOURNAL_RECORD_INVALID' && err.message.includes(pathPart),
  );
}

describe('canonicalJson', () => {
  it('sorts keys recursively and prints no whitespace', () => {
    const body = { symbol: 'MNQ', qty: 2, fill: { price: '19000.00', fee: '0.74', tags: [{ z: 1, a: null }] }, account: 'T1' };
    assert.equal(canonicalJson(body), '{"account":"T1","fill":{"fee":"0.74","price":"19000.00","tags":[{"a":null,"z":1}]},"qty":2,"symbol":"MNQ"}');
  });

  it('gives the same text for the same value built in any key order', () => {
    assert.equal(canonicalJson({ b: 1, a: { y: true, x: 's' } }), canonicalJson({ a: { x: 's', y: true }, b: 1 }));
  });

  it('matches the sorted-replacer oracle and round-trips through JSON.parse for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        assert.equal(text, oracle(value));
        assert.equal(canonicalJson(JSON.parse(text)), text);
      }),
      { numRuns: 300 },
    );
  });

  it('omits undefined properties, as JSON does', () => {
    assert.equal(canonicalJson({ a: 1, b: undefined }), '{"a":1}');
  });

  it('uses toJSON (a Date becomes its ISO string)', () => {
    assert.equal(canonicalJson({ at: new Date(Date.UTC(2026, 2, 2, 14, 30)) }), '{"at":"2026-03-02T14:30:00.000Z"}');
  });

  it('rejects bigint, naming the field: money crosses as decimal strings', () => {
    rejects({ fill: { price: 18000n } }, 'body.fill.price');
  });

  it('rejects values JSON would silently change', () => {
    rejects({ pnl: Number.NaN }, 'body.pnl');
    rejects({ x: Infinity }, 'body.x');
    rejects({ list: [1, undefined] }, 'body.list[1]');
    rejects({ positions: new Map([['MNQ', 1]]) }, 'Map');
    rejects({ f: () => 1 }, 'function');
    rejects(undefined, 'undefined');
  });
});
