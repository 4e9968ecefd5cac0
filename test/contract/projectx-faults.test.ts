/** The ProjectX adapter under venue faults injected by the fake Gateway (the checks of src/adapters/projectx/readiness.ts). */
import { projectxFaultChecks } from '../../src/adapters/projectx/readiness.ts';
import { checksAsTests } from './broker-contract.ts';

checksAsTests('projectx adapter under venue faults', projectxFaultChecks());
