/**
 * Sizing a reduce-only order (ProjectX has no reduce-only flag): the position on the other side,
 * else 0, by REST and, while the user hub is up, by the hub's last report once it has caught up
 * with every trade known. The smaller wins: a lagging REST read must not turn a close into a
 * reversal. A hub that does not catch up in time (one that does not report positions after
 * trades) leaves REST alone to decide, with a warning: a close that never goes out is the worse
 * failure.
 */
import { min, type Fixed } from '../../domain/money.ts';
import type { OrderRequest } from '../broker.ts';
import type { LiveFeeds } from './live.ts';
import type { ContractInfo } from './mapper.ts';
import type { UserStream } from './sync.ts';

/** How long a reduce-only order waits for the user hub to report the trades REST already shows. */
export const HUB_CATCH_UP_MS = 3000;

export interface ReduceOnlyDeps {
  readonly venueId: number;
  /** The signed position in the contract as REST reports it. */
  readonly restPosition: () => Promise<Fixed>;
  /** Reads the account's trades over REST (so the stream knows which the hub still owes). */
  readonly syncFills: () => Promise<void>;
  readonly stream: UserStream;
  readonly feeds: LiveFeeds;
}

export async function reducibleQty(d: ReduceOnlyDeps, req: OrderRequest, c: ContractInfo): Promise<Fixed> {
  const rest = await d.restPosition();
  const roomOf = (pos: Fixed) => {
    const room = req.side === 'sell' ? pos : -pos;
    return room > 0n ? room : 0n;
  };
  if (!d.feeds.userHubUp) return roomOf(rest);
  await d.syncFills();
  const until = Date.now() + HUB_CATCH_UP_MS;
  while (!d.stream.hubCaughtUp(d.venueId, c.contractId) && Date.now() < until)
    await new Promise((r) => setTimeout(r, 10));
  await d.stream.settled();
  if (!d.stream.hubCaughtUp(d.venueId, c.contractId)) {
    d.feeds.warn(`user hub did not confirm the ${c.symbol} position in time: reduce-only sized by REST`);
    return roomOf(rest);
  }
  const hub = d.stream.hubPosition(d.venueId, c.contractId) ?? 0n;
  // Opposite signs mean one of them is wrong about the direction: nothing is safe to send.
  if (hub !== 0n && rest !== 0n && hub > 0n !== rest > 0n) return 0n;
  return min(roomOf(rest), roomOf(hub));
}
