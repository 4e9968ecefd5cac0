/**
 * `clientOrderId` makes a retried `POST /api/v1/orders` idempotent (DESIGN §6). The server keeps,
 * per account, the answers of recent client order ids (a bounded map, oldest forgotten first);
 * a retry with the same parameters gets the same order, with other parameters ERR_ORDER_CONFLICT.
 * Concurrent retries share one attempt (the answer is remembered as a promise). Beyond the map
 * (or after a restart) the node's read models still know the order by its id, which is the
 * client order id, and answer the same way. An attempt that failed before the node recorded
 * anything (node offline, broker error) is forgotten, so the client may retry it.
 */
export interface OrderAnswer {
  readonly status: number;
  readonly body: unknown;
}

interface Entry {
  readonly fingerprint: string;
  readonly answer: Promise<OrderAnswer>;
}

/** The parameters that make two order requests "the same order", as one comparable string. */
export interface OrderParams {
  readonly symbol: string;
  readonly side: string;
  readonly qty: string;
  readonly orderType: string;
  readonly price?: string | undefined;
  readonly stopPrice?: string | undefined;
  readonly reduceOnly: boolean;
}

export function fingerprintOf(p: OrderParams): string {
  return JSON.stringify([
    p.symbol.toUpperCase(),
    p.side,
    p.qty,
    p.orderType,
    p.price ?? null,
    p.stopPrice ?? null,
    p.reduceOnly,
  ]);
}

export class ClientOrderIds {
  private readonly byAccount = new Map<string, Map<string, Entry>>();

  constructor(private readonly perAccount = 5_000) {}

  get(account: string, clientOrderId: string): Entry | undefined {
    return this.byAccount.get(account)?.get(clientOrderId);
  }

  /** Remembers an attempt; forgets it again when it throws (nothing was recorded, a retry may try again). */
  remember(
    account: string,
    clientOrderId: string,
    fingerprint: string,
    attempt: () => Promise<OrderAnswer>,
  ): Promise<OrderAnswer> {
    let ids = this.byAccount.get(account);
    if (!ids) this.byAccount.set(account, (ids = new Map()));
    const answer = attempt();
    const entry: Entry = { fingerprint, answer };
    ids.set(clientOrderId, entry);
    if (ids.size > this.perAccount) ids.delete(ids.keys().next().value!);
    answer.catch(() => {
      if (ids.get(clientOrderId) === entry) ids.delete(clientOrderId);
    });
    return answer;
  }

  size(account: string): number {
    return this.byAccount.get(account)?.size ?? 0;
  }
}
