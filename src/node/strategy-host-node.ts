/**
 * The strategy host inside a trading node: built from the config's `strategies` section, fed with
 * the node's quotes of the symbol (bus and queries, never the engine), ticked every second, and
 * trading through the node's `submitOrder`. Its selections go out on the account's `state` channel
 * (`event: strategy_selection`) and to the log.
 */
import type { RawConfig } from '../config/schema.ts';
import { isoOf } from '../domain/events.ts';
import { parseFixed, ZERO, type Fixed } from '../domain/money.ts';
import { AppError, isAppError } from '../errors.ts';
import { parseCandidates } from '../research/select-spec.ts';
import { parseSelectorSettings } from '../research/selector-settings.ts';
import { parseDuration } from '../risk/config-types.ts';
import type { NodeBus } from './bus.ts';
import type { NewOrder, SubmitResult } from './gateway.ts';
import type { Logger } from './logger.ts';
import type { NodeQueries } from './queries.ts';
import { StrategyHost, type StrategyHostPort } from './strategy-host.ts';

/** What the runner uses of the node. */
export interface HostedNode {
  readonly bus: NodeBus;
  readonly queries: NodeQueries;
  readonly log: Logger;
  submitOrder(order: NewOrder): Promise<SubmitResult>;
}

export class StrategyHostRunner {
  private timer: ReturnType<typeof setInterval> | undefined;
  private unsubscribe: (() => void) | undefined;

  private constructor(
    private readonly node: HostedNode,
    readonly host: StrategyHost,
    readonly account: string,
    private readonly symbol: string,
    private readonly tickMs: number,
  ) {}

  /** The runner of the config's `strategies` section (undefined without one). */
  static async create(
    node: HostedNode,
    config: RawConfig,
    accounts: readonly string[],
    now: () => number,
  ): Promise<StrategyHostRunner | undefined> {
    const s = config.strategies;
    if (!s) return undefined;
    if (!accounts.includes(s.account))
      throw new AppError(
        'ERR_CONFIG_INVALID',
        `strategies.account: unknown account ${s.account} (accounts: ${accounts.join(', ') || 'none'})`,
      );
    const candidates = await parseCandidates(s.candidates.join(',')).catch((err: unknown) => {
      throw isAppError(err) ? new AppError(err.code, `strategies.candidates: ${err.message}`) : err;
    });
    const balance = config.paper?.accounts.find((a) => a.id === s.account)?.balance;
    const barMs = parseDuration(s.barInterval);
    const host = new StrategyHost(hostPort(node, now), {
      account: s.account,
      symbol: s.symbol,
      barMs,
      everyMs: parseDuration(s.every),
      ...(s.schedule === undefined ? {} : { schedule: s.schedule }),
      candidates,
      settings: parseSelectorSettings(s.select),
      capital: parseFixed(s.capital ?? balance ?? '50000'),
      now,
    });
    return new StrategyHostRunner(node, host, s.account, s.symbol, Math.min(1000, barMs));
  }

  start(): void {
    if (this.timer) return;
    this.unsubscribe = this.node.bus.subscribe((m) => {
      if (m.channel !== 'quotes' || m.symbol !== this.symbol) return;
      const mark = markOf(m.data);
      if (mark !== undefined) void this.host.onMark(mark);
    });
    this.timer = setInterval(() => void this.host.tick(), this.tickMs);
    this.timer.unref();
    this.node.log.info(
      { account: this.account, symbol: this.symbol },
      `strategy host on ${this.account}: ${this.symbol}, candidates ${String(this.host.status().candidates)}`,
    );
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}

/**
 * A quote's mark: last, else the mid (as the backtester's quote mark). Read from the quote itself:
 * it is published before the engine has applied it.
 */
export function markOf(q: Readonly<Record<string, unknown>>): Fixed | undefined {
  const px = (v: unknown) => (typeof v === 'string' ? parseFixed(v) : undefined);
  const last = px(q.last);
  if (last !== undefined) return last;
  const bid = px(q.bid);
  const ask = px(q.ask);
  return bid !== undefined && ask !== undefined ? (bid + ask) / 2n : undefined;
}

function hostPort(node: HostedNode, now: () => number): StrategyHostPort {
  return {
    submitOrder: (o) => node.submitOrder(o),
    positionQty: (account, symbol): Fixed => {
      const p = node.queries.positions(account).find((x) => x.symbol === symbol);
      return p === undefined ? ZERO : parseFixed(String(p.qty));
    },
    workingOrders: (account, symbol) =>
      node.queries.orders(account, 'working').filter((o) => o.symbol === symbol).length,
    publish: (account, data) => void node.bus.publish(account, 'state', isoOf(now()), data),
    say: (message) => node.log.info({ strategies: true }, message),
  };
}
