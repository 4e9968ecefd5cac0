/** The reconciliation suite of `riskgate readiness` (src/node/readiness.ts) for every adapter with a fake. */
import { paperVenue } from '../../src/adapters/paper/readiness.ts';
import { projectxVenue } from '../../src/adapters/projectx/readiness.ts';
import { reconciliationChecks } from '../../src/node/readiness.ts';
import { checksAsTests } from './broker-contract.ts';

checksAsTests('reconciliation: paper', reconciliationChecks(paperVenue));
checksAsTests(
  'reconciliation: projectx (fake gateway)',
  reconciliationChecks(() => projectxVenue()),
);
