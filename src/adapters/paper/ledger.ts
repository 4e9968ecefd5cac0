/**
 * The paper accounts' books: cash balance, netted FIFO positions per symbol, fills and closed
 * round trips. The exchange decides what fills; the ledger records what a fill does to an account
 * (DESIGN §2: realized P&L per closed lot, fees per fill, exact arithmetic).
 */
import { AppError } from '../../errors.ts';
import type { Fixed } from '../../domain/money.ts';
import type { BrokerAccountState, BrokerPosition, Fill, Instrument, Side } from '../broker.ts';
import type { WorkingOrder } from './order-state.ts';
import { PositionBook, type RoundTrip } from './positions.ts';

export interface PaperAccountConfig {
  readonly id: string;
  readonly balance: Fixed;
  readonly canTrade?: boolean;
}

export interface AccountBook {
  readonly id: string;
  balance: Fixed;
  /** balance as a JS number, for equity curves and statistics only. */
  balanceNum: number;
  workingCount: number;
  canTrade: boolean;
  readonly books: Map<string, PositionBook>;
  readonly fills: Fill[];
  readonly roundTrips: RoundTrip[];
  /** Idempotency keys → orders. */
  readonly byKey: Map<string, WorkingOrder>;
}

/** Read-only view of an account for hot loops (no snapshots, no lookups). */
export interface AccountView {
  readonly id: string;
  readonly balance: Fixed;
  readonly balanceNum: number;
  readonly workingCount: number;
}

export class PaperLedger {
  private readonly accounts = new Map<string, AccountBook>();
  private fillSeq = 0;

  /** `instrumentOf(symbol)`: undefined when the symbol has no instrument. */
  constructor(private readonly instrumentOf: (symbol: string) => Instrument | undefined) {}

  add(a: PaperAccountConfig): void {
    this.accounts.set(a.id, {
      id: a.id,
      balance: a.balance,
      balanceNum: Number(a.balance) / 1e18,
      workingCount: 0,
      canTrade: a.canTrade ?? true,
      books: new Map(),
      fills: [],
      roundTrips: [],
      byKey: new Map(),
    });
  }

  account(id: string): AccountBook {
    const a = this.accounts.get(id);
    if (!a) throw new AppError('ERR_ACCOUNT_UNKNOWN', `unknown paper account ${id}`);
    return a;
  }

  state(id: string): BrokerAccountState {
    const a = this.account(id);
    return { account: a.id, canTrade: a.canTrade, balance: a.balance };
  }

  /** The account's position book in a symbol (created flat on first use); undefined if no instrument. */
  book(account: string, symbol: string): PositionBook | undefined {
    const acct = this.account(account);
    let book = acct.books.get(symbol);
    if (!book) {
      const instrument = this.instrumentOf(symbol);
      if (instrument === undefined) return undefined;
      book = new PositionBook(symbol, instrument);
      acct.books.set(symbol, book);
    }
    return book;
  }

  positions(account: string): BrokerPosition[] {
    const out: BrokerPosition[] = [];
    for (const b of this.account(account).books.values())
      if (b.qty !== 0n) out.push({ account, symbol: b.symbol, qty: b.qty, avgPrice: b.avgPrice() });
    return out;
  }

  positionQty(account: string, symbol: string): Fixed {
    return this.account(account).books.get(symbol)?.qty ?? 0n;
  }

  fills(account: string, sinceTs?: number): Fill[] {
    const f = this.account(account).fills;
    return sinceTs === undefined ? [...f] : f.filter((x) => x.ts >= sinceTs);
  }

  roundTrips(account: string): readonly RoundTrip[] {
    return this.account(account).roundTrips;
  }

  /** Cash balance + unrealized P&L at the given marks. */
  equity(account: string, markOf: (symbol: string) => Fixed | undefined): Fixed {
    const a = this.account(account);
    let e = a.balance;
    for (const b of a.books.values()) if (b.qty !== 0n) e += b.unrealized(markOf(b.symbol) ?? 0n);
    return e;
  }

  /** Books a fill: FIFO lots, realized P&L and the fee into the balance; returns the fill record. */
  record(
    acct: AccountBook,
    book: PositionBook,
    orderId: string,
    side: Side,
    qty: Fixed,
    price: Fixed,
    fee: Fixed,
    ts: number,
  ): Fill {
    const closed = book.apply(side === 'buy' ? qty : -qty, price, fee, ts);
    let realized = 0n;
    for (const rt of closed) {
      realized += rt.grossPnl;
      acct.roundTrips.push(rt);
    }
    if (realized !== 0n || fee !== 0n) {
      acct.balance += realized - fee;
      acct.balanceNum = Number(acct.balance) / 1e18;
    }
    const fill: Fill = {
      fillId: `F${++this.fillSeq}`,
      orderId,
      account: acct.id,
      symbol: book.symbol,
      side,
      qty,
      price,
      fee,
      ts,
    };
    acct.fills.push(fill);
    return fill;
  }
}
