import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../../domain/money.ts';
import { quoteOf } from './market-hub.ts';

describe('GatewayQuote → Quote', () => {
  it('reads the sides present, exactly, with the venue time', () => {
    const q = quoteOf(
      'MNQ',
      { bestBid: 21500.25, bestAsk: 21500.5, lastPrice: 21500.25, timestamp: '2025-04-21T19:45:52Z' },
      1,
    );
    assert.deepEqual(q, {
      symbol: 'MNQ',
      ts: Date.parse('2025-04-21T19:45:52Z'),
      bid: parseFixed('21500.25'),
      ask: parseFixed('21500.5'),
      last: parseFixed('21500.25'),
    });
  });

  it('keeps a partial update partial and falls back to local time', () => {
    assert.deepEqual(quoteOf('ES', { bestAsk: 5000 }, 42), { symbol: 'ES', ts: 42, ask: parseFixed('5000') });
    assert.equal(quoteOf('ES', { bestBid: 'x' }, 0), undefined);
  });
});
