import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isAppError } from '../errors.ts';
import { canonicalJson } from './canonical-json.ts';

/**
 * An independent oracle: a recursive map/join with sorted own keys (an array property list for
 * JSON.stringify would read the inherited Object.prototype for a "__proto__" key, and rebuilt
 * objects would put integer-like keys first).
 */
function oracle(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(oracle).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${oracle(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function rejects(value: unknown, pathPart: string): void {
  assert.throws(
    () => canonicalJson(value),
    (err: unknown) => isAppError(err) && err.code === 'ERR_JOURNAL_RECORD_INVALID' && err.message.includes(pathPart),
  );
}

describe('canonicalJson', () => {
  it('sorts keys recursively and prints no whitespace', () => {
    const body = {
      symbol: 'MNQ',
      qty: 2,
      fill: { price: '19000.00', fee: '0.74', tags: [{ z: 1, a: null }] },
      account: 'T1',
    };
    assert.equal(
      canonicalJson(body),
      '{"account":"T1","fill":{"fee":"0.74","price":"19000.00","tags":[{"a":null,"z":1}]},"qty":2,"symbol":"MNQ"}',
    );
  });

  it('gives the same text for the same value built in any key order', () => {
    assert.equal(canonicalJson({ b: 1, a: { y: true, x: 's' } }), canonicalJson({ a: { x: 's', y: true }, b: 1 }));
  });

  it('matches the sorted-keys oracle and round-trips through JSON.parse for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        assert.equal(text, oracle(value));
        assert.equal(canonicalJson(JSON.parse(text)), text);
      }),
      { numRuns: 1000 },
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

describe('canonicalJson with a "__proto__" key', () => {
  it('keeps it as data, sorted with the others, and reads back the same', () => {
    const parsed = JSON.parse('{"b":1,"__proto__":{"x":2},"":{}}') as Record<string, unknown>;
    const text = canonicalJson(parsed);
    assert.equal(text, '{"":{},"__proto__":{"x":2},"b":1}');
    assert.equal(canonicalJson(JSON.parse(text)), text);
  });
});
