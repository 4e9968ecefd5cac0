/**
 * `riskgate readiness --broker paper`: the paper venue is its own fake, so its suites run against a
 * fresh in-process PaperBroker (MNQ, no fees). It has no fault switches: nothing between riskgate
 * and it can fail.
 */
import { brokerContractChecks } from '../contract/broker-contract.ts';
import type { AdapterReadiness, VenueHarness } from '../contract/readiness.ts';
import { parseFixed } from '../../domain/money.ts';
import { PaperBroker } from './adapter.ts';

export async function paperVenue(): Promise<VenueHarness> {
  const broker = new PaperBroker({ accounts: [{ id: 'A1', balance: parseFixed('50000') }] });
  return {
    broker,
    account: 'A1',
    symbol: 'MNQ',
    pointValue: parseFixed('2'),
    feePerContract: 0n,
    config: { paper: { accounts: [{ id: 'A1', balance: '50000' }] } },
    setMarket: async (bid, ask) =>
      broker.feedQuote({
        symbol: 'MNQ',
        ts: Date.now(),
        bid: parseFixed(bid),
        ask: parseFixed(ask),
        bidSize: parseFixed('100'),
        askSize: parseFixed('100'),
      }),
  };
}

export const readiness: AdapterReadiness = {
  faults: {},
  suites: () => [{ name: 'contract', checks: brokerContractChecks(paperVenue) }],
  venue: () => paperVenue(),
};
