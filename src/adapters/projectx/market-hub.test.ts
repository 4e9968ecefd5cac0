import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../../domain/money.ts';
import { quoteOf, tradeQuoteOf } from './market-hub.ts';

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

describe('GatewayTrade → last-price Quote', () => {
  it('takes the newest print of a batch', () => {
    const q = tradeQuoteOf(
      'MNQ',
      [
        { price: 100.5, volume: 1, timestamp: '2025-04-21T19:45:53Z' },
        { price: 100.25, volume: 2, timestamp: '2025-04-21T19:45:52Z' },
      ],
      0,
    );
    assert.deepEqual(q, { symbol: 'MNQ', ts: Date.parse('2025-04-21T19:45:53Z'), last: parseFixed('100.5') });
  });

  it('reads a single print and ignores unreadable ones', () => {
    assert.equal(tradeQuoteOf('ES', { price: 5000 }, 7)?.ts, 7);
    assert.equal(tradeQuoteOf('ES', [{ price: 'x' }], 7), undefined);
  });
});
