import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { maxPain, openInterestByStrike, parseOptionChain, payoutAtSettlement, putCallRatios } from './option-chain.ts';

const fixture = JSON.parse(
  readFileSync(new URL('../../../shared/data/options/max_pain_example.json', import.meta.url), 'utf8'),
) as {
  expected: {
    max_pain_strike: number;
    min_total_payout: number;
    payout_by_settlement_price: {
      settlement_price: number;
      call_payout: number;
      put_payout: number;
      total_payout: number;
    }[];
  };
};

test('max pain of the public example: strike, minimum and the payout at every strike', () => {
  const chain = parseOptionChain(fixture);
  const result = maxPain(chain);
  assert.equal(result.maxPainStrike, fixture.expected.max_pain_strike);
  assert.equal(result.minTotalPayout, fixture.expected.min_total_payout);
  assert.deepEqual(result.payoutBySettlementPrice, fixture.expected.payout_by_settlement_price);
});

test('max pain ignores the order of strikes in the chain', () => {
  const chain = parseOptionChain(fixture);
  const shuffled = { ...chain, chain: [...chain.chain].reverse() };
  assert.equal(maxPain(shuffled).maxPainStrike, fixture.expected.max_pain_strike);
});

test('payout scales with the contract multiplier', () => {
  const chain = parseOptionChain({
    multiplier: 100,
    chain: [
      { strike: 10, call_oi: 2, put_oi: 0 },
      { strike: 12, call_oi: 0, put_oi: 3 },
    ],
  });
  assert.deepEqual(payoutAtSettlement(chain, 11), {
    settlement_price: 11,
    call_payout: 200,
    put_payout: 300,
    total_payout: 500,
  });
});

test('put/call ratios by open interest and volume; OI by strike ascending', () => {
  const chain = parseOptionChain({
    chain: [
      { strike: 105, call_oi: 30, put_oi: 10, call_volume: 5, put_volume: 20 },
      { strike: 95, call_oi: 10, put_oi: 50, call_volume: 15, put_volume: 10 },
    ],
  });
  assert.deepEqual(putCallRatios(chain), { openInterest: 60 / 40, volume: 30 / 20 });
  assert.deepEqual(openInterestByStrike(chain), [
    { strike: 95, callOi: 10, putOi: 50, totalOi: 60 },
    { strike: 105, callOi: 30, putOi: 10, totalOi: 40 },
  ]);
  assert.equal(putCallRatios(parseOptionChain({ chain: [{ strike: 1, call_oi: 0, put_oi: 1 }] })).volume, null);
});

test('invalid chain entries are rejected naming the entry and field', () => {
  assert.throws(
    () => parseOptionChain({ chain: [{ strike: 100, call_oi: -1, put_oi: 0 }] }),
    /chain\[0\]\.call_oi must be a number >= 0/,
  );
  assert.throws(() => parseOptionChain({ chain: [{ strike: 'x', call_oi: 1, put_oi: 0 }] }), /chain\[0\]\.strike/);
  assert.throws(() => parseOptionChain({ rows: [] }), /"chain" array/);
});
