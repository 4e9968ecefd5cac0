/** The ProjectX adapter passes the shared broker contract against the local fake Gateway. */
import { projectxVenue } from '../../src/adapters/projectx/readiness.ts';
import { brokerContract } from './broker-contract.ts';

brokerContract('projectx (fake gateway, MNQ, fee 0.37)', () => projectxVenue());
