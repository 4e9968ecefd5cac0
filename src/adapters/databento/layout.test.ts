/** 64-bit integers → decimal strings without BigInt must agree with BigInt on every boundary. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readI64String, readU64String } from './layout.ts';

function u64Buf(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b;
}
function i64Buf(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(v);
  return b;
}

describe('64-bit decimal formatting', () => {
  it('matches BigInt at the edges: 0, 2^53±1, 2^63-1 (UNDEF_PRICE), 2^64-1 (UNDEF_TIMESTAMP), i64 min', () => {
    for (const v of [
      0n,
      1n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 53n + 1n,
      999999n,
      1000000n,
      2n ** 63n - 1n,
      2n ** 64n - 1n,
      1609160400000704060n,
    ]) {
      assert.equal(readU64String(u64Buf(v), 0), v.toString());
    }
    for (const v of [-1n, -(2n ** 53n), -(2n ** 53n) - 1n, -(2n ** 63n), 2n ** 63n - 1n, -3720500000000n]) {
      assert.equal(readI64String(i64Buf(v), 0), v.toString());
    }
  });

  it('matches BigInt for random u64 and i64 values', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => readU64String(u64Buf(v), 0) === v.toString()),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
        (v) => readI64String(i64Buf(v), 0) === v.toString(),
      ),
      { numRuns: 5000 },
    );
  });
});
