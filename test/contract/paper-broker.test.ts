/** The paper broker passes the shared broker contract. */
import { PaperBroker } from '../../src/adapters/paper/index.ts';
import { InstrumentTable } from '../../src/adapters/paper/instruments.ts';
import { instrumentFromSpec } from '../../src/domain/instrument.ts';
import { parseFixed } from '../../src/domain/money.ts';
import { brokerContract } from './broker-contract.ts';

brokerContract('paper (MNQ, no fees)', async () => {
  const broker = new PaperBroker({ accounts: [{ id: 'A1', balance: parseFixed('50000') }] });
  return {
    broker,
    account: 'A1',
    symbol: 'MNQ',
    pointValue: parseFixed('2'),
    feePerContract: 0n,
    setMarket: async (bid, ask) =>
      broker.feedQuote({
        symbol: 'MNQ',
        ts: 1_700_000_000_000,
        bid: parseFixed(bid),
        ask: parseFixed(ask),
        bidSize: parseFixed('100'),
        askSize: parseFixed('100'),
      }),
  };
});

brokerContract('paper (custom instrument, fee 0.37)', async () => {
  const instruments = new InstrumentTable([instrumentFromSpec({ symbol: 'XYZ', tickSize: '0.25', tickValue: '1.25' })]);
  const broker = new PaperBroker({
    accounts: [{ id: 'B7', balance: parseFixed('1000') }],
    instruments,
    feePerContract: parseFixed('0.37'),
  });
  return {
    broker,
    account: 'B7',
    symbol: 'XYZ',
    pointValue: parseFixed('5'),
    feePerContract: parseFixed('0.37'),
    setMarket: async (bid, ask) =>
      broker.feedQuote({ symbol: 'XYZ', ts: 1_700_000_000_000, bid: parseFixed(bid), ask: parseFixed(ask) }),
  };
});
