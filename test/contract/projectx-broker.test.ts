/** The ProjectX adapter passes the shared broker contract against the local fake Gateway. */
import { ProjectXBroker } from '../../src/adapters/projectx/index.ts';
import { parseFixed } from '../../src/domain/money.ts';
import { startFakeProjectX } from '../../src/adapters/projectx/fake/server.ts';
import { brokerContract } from './broker-contract.ts';

brokerContract('projectx (fake gateway, MNQ, fee 0.37)', async () => {
  const fake = await startFakeProjectX({ feePerContract: parseFixed('0.37') });
  const broker = new ProjectXBroker({
    baseUrl: fake.url,
    marketHubUrl: fake.marketHubUrl,
    quoteSymbols: ['MNQ'],
    username: 'trader',
    apiKey: () => 'key-123',
    accounts: { '7001': 'TX1' },
    policy: { baseDelayMs: 5, timeoutMs: 2000 },
  });
  // Quotes are pushed over the hub: setMarket returns once the adapter has seen the new market.
  const seen: bigint[] = [];
  broker.onQuote((q) => {
    if (q.bid !== undefined) seen.push(q.bid);
  });
  return {
    broker,
    account: 'TX1',
    symbol: 'MNQ',
    pointValue: parseFixed('2'),
    feePerContract: parseFixed('0.37'),
    setMarket: async (bid, ask) => {
      const before = seen.length;
      await fake.setMarket('MNQ', bid, ask);
      for (let i = 0; i < 200 && !seen.slice(before).includes(parseFixed(bid)); i++)
        await new Promise((r) => setTimeout(r, 5));
    },
    teardown: () => fake.close(),
  };
});
