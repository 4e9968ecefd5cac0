/**
 * The node's queries (DESIGN §1, §6): accounts, risk, positions, orders, fills, violations and
 * rule distances, as JSON-ready values (decimal strings, signed quantities). Current state comes
 * from the engine's read views (copies, src/engine/views.ts); history from the read models.
 */
import { formatFixed, ZERO } from '../domain/money.ts';
import { qtyJson } from '../engine/report.ts';
import type { EngineMode, RiskEngine } from '../engine/risk-engine.ts';
import { accountIds, hasAccount, openPositions, positionQty } from '../engine/views.ts';
import type { Distance } from '../risk/rule.ts';
import { accountStatus, type AccountStatus } from '../engine/account-status.ts';
import type { Gateway } from './gateway.ts';
import type { TradingState } from './gateway-state.ts';
import type { FillView, OrderView, ReadModels, ViolationView } from './read-models.ts';

export interface RiskView extends Omit<AccountStatus, 'state'> {
  /** ACTIVE, REDUCING (a lock, cooldown, pending enforcement or probation) or HALTED. */
  readonly state: TradingState;
  /** The store's execution mode: in `shadow` the state is what riskgate would enforce, nothing more. */
  readonly mode: EngineMode;
  readonly stateReasons: readonly string[];
  /** Why the venue's marks are stale (a live feed down or silent); empty when fresh or offline. */
  readonly marksStale: readonly string[];
}

export interface PositionJson {
  readonly symbol: string;
  readonly qty: number | string;
  readonly avgPrice: string;
  readonly unrealizedPnl: string;
}

export interface AccountSummary {
  readonly account: string;
  readonly state: TradingState;
  readonly canTrade: boolean;
  readonly netRealizedPnl: string;
  readonly positions: number;
  readonly mode: EngineMode;
}

export class NodeQueries {
  constructor(
    private readonly engine: RiskEngine,
    private readonly models: ReadModels,
    private readonly gateway: () => Gateway | undefined,
  ) {}

  /** Every account the node knows: the broker's (when live) and those in the store. */
  accounts(): AccountSummary[] {
    const ids = [...new Set([...(this.gateway()?.accounts ?? []), ...accountIds(this.engine)])];
    return ids.flatMap((account) => {
      const r = this.risk(account);
      return r
        ? [
            {
              account,
              state: r.state,
              canTrade: r.canTrade,
              netRealizedPnl: r.day.netRealizedPnl,
              positions: r.positions.length,
              mode: r.mode,
            },
          ]
        : [];
    });
  }

  /** Whether the store knows the account (what `risk` answers for, without computing it). */
  has(account: string): boolean {
    return hasAccount(this.engine, account);
  }

  /** State, day P&L, loss room, rule distances, locks and positions; undefined for an unknown account. */
  risk(account: string): RiskView | undefined {
    const status = accountStatus(this.engine, account);
    if (!status) return undefined;
    const gw = this.gateway();
    const mode = this.engine.mode;
    if (!gw) return { ...status, mode, stateReasons: status.locks.map((l) => `${l.rule} ${l.kind}`), marksStale: [] };
    const reasons = gw.reasons(account);
    return {
      ...status,
      mode,
      state: gw.tradingState(account),
      stateReasons: [...reasons.halted, ...reasons.reducing],
      marksStale: gw.marksStale(),
    };
  }

  positions(account: string): PositionJson[] {
    return openPositions(this.engine, account).map((p) => ({
      symbol: p.symbol,
      qty: qtyJson(p.qty),
      avgPrice: p.avgPrice,
      unrealizedPnl: formatFixed(p.unrealizedPnl),
    }));
  }

  /** Recent orders, newest first (working ones however old). */
  orders(account: string, status?: OrderView['status']): OrderView[] {
    return this.models.ordersOfAccount(account, status);
  }

  fills(account: string, limit?: number): FillView[] {
    return this.models.fillsOf(account, limit);
  }

  /** Breaches, rejections and admin actions, newest first. */
  violations(account: string, limit?: number): ViolationView[] {
    return this.models.violationsOf(account, limit);
  }

  distances(account: string): Distance[] {
    return accountStatus(this.engine, account)?.distances ?? [];
  }

  /** Order and fill ids the live gateway remembers (duplicate fills, broker ↔ engine ids): bounded by two trading days' worth. */
  rememberedIds(): number {
    return this.gateway()?.rememberedIds() ?? 0;
  }

  /** The latest mark of a symbol (its quote, else its last fill), a decimal string; undefined before any. */
  mark(symbol: string): string | undefined {
    const m = this.engine.markOf(symbol);
    return m === undefined ? undefined : formatFixed(m);
  }

  /** Calls `each` for every account holding a position in the quoted symbol (its risk moved). */
  quoted(symbol: string, each: (account: string) => void): void {
    for (const account of accountIds(this.engine)) {
      if (positionQty(this.engine, account, symbol) !== ZERO) each(account);
    }
  }
}
