/** node:test wrapper of the shared broker contract (src/adapters/contract/broker-contract.ts): one test per check. */
import { describe, it } from 'node:test';
import { brokerContractChecks, type BrokerHarness } from '../../src/adapters/contract/broker-contract.ts';
import type { ReadinessCheck } from '../../src/adapters/contract/readiness.ts';

export type { BrokerHarness };

/** One node:test test per readiness check. */
export function checksAsTests(name: string, checks: readonly ReadinessCheck[]): void {
  describe(name, () => {
    for (const c of checks) it(c.name, () => c.run());
  });
}

export function brokerContract(name: string, makeBroker: () => Promise<BrokerHarness>): void {
  checksAsTests(`broker contract: ${name}`, brokerContractChecks(makeBroker));
}
