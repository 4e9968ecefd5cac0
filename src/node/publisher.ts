/**
 * What the trading node tells the world: every event, decision and enforcement step folds into the
 * read models, goes out on the bus (per-account channels with their seq; quotes market-wide) and
 * into the log. Risk snapshots are published at once after fills and decisions, and at most every
 * 250 ms per account on quotes (they move unrealized P&L). An event's own message (fill, order,
 * quote) goes out as it arrives; positions and risk go out once the engine has stepped it
 * (`onStepped`), so they include it.
 */
import type { Decision } from '../engine/decision.ts';
import type { Enforcement } from '../engine/enforcer.ts';
import type { NodeBus } from './bus.ts';
import type { Logger } from './logger.ts';
import type { NodeQueries } from './queries.ts';
import type { ReadModels } from './read-models.ts';
import { mismatchJson, type Mismatch } from './reconcile.ts';

export class NodePublisher {
  constructor(
    private readonly bus: NodeBus,
    private readonly models: ReadModels,
    private readonly queries: NodeQueries,
    private readonly log: Logger,
    private readonly now: () => number,
    /** Gateway time of a record the node stamps itself (enforcement steps). */
    private readonly eventTs: () => string,
  ) {}

  onEvent(raw: Readonly<Record<string, unknown>>): void {
    const ts = String(raw.ts);
    if (raw.type === 'quote') {
      this.models.applyEvent(raw); // marks: the expected price of market orders
      this.bus.publishQuote(String(raw.symbol), ts, raw);
      return;
    }
    const changed = this.models.applyEvent(raw);
    const account = typeof raw.account === 'string' ? raw.account : undefined;
    // One entry per event, taken back by onStepped: events applied while one is stepped (an
    // enforcement's order update inside a decision) nest.
    this.stepping.push(
      account && (changed.fill || raw.type === 'account')
        ? { account, fill: changed.fill !== undefined, risksBefore: this.risksSent }
        : undefined,
    );
    if (!account) return;
    if (changed.order) this.bus.publish(account, 'orders', ts, { ...changed.order });
    if (changed.fill) {
      this.bus.publish(account, 'fills', ts, { ...changed.fill });
      this.log.info(
        { account, cid: changed.fill.orderId, fill: changed.fill },
        `fill ${account} ${changed.fill.side} ${changed.fill.qty} ${changed.fill.symbol} @ ${changed.fill.price}`,
      );
    }
  }

  /** The engine stepped the event: positions and risk that include it. */
  onStepped(raw: Readonly<Record<string, unknown>>): void {
    const ts = String(raw.ts);
    if (raw.type === 'quote') {
      this.queries.quoted(String(raw.symbol), (account) => this.publishRisk(account, ts));
      return;
    }
    const stepped = this.stepping.pop();
    if (!stepped) return;
    if (stepped.fill)
      this.bus.publish(stepped.account, 'positions', ts, { positions: this.queries.positions(stepped.account) });
    // A decision on the event may already have sent the account's risk after the step.
    if (this.risksSent === stepped.risksBefore) this.publishRisk(stepped.account, ts, true);
  }

  /** Account events being stepped whose positions or risk go out after them (onStepped). */
  private readonly stepping: Array<{ account: string; fill: boolean; risksBefore: number } | undefined> = [];
  private risksSent = 0;

  onDecision(d: Decision): void {
    if (d.account === '*') {
      this.log.info({ rule: d.rule }, d.reason);
      return;
    }
    const v = this.models.applyDecision(d);
    if (!v) return;
    this.bus.publish(d.account, 'violations', d.ts, v);
    if (
      d.outcomes.some((o) => o.kind === 'lockout' || o.kind === 'cooldown') ||
      d.kind === 'unlock' ||
      d.action === 'unlock'
    )
      this.bus.publish(d.account, 'locks', d.ts, { locks: this.queries.risk(d.account)?.locks ?? [] });
    const level = d.kind === 'breach' ? 'warn' : 'info';
    this.log[level](
      { account: d.account, cid: d.orderId, rule: d.rule, action: d.action, symbol: d.symbol },
      `${d.kind} ${d.rule} ${d.action}${d.symbol ? ` ${d.symbol}` : ''}: ${d.reason}`,
    );
    this.publishRisk(d.account, d.ts, true);
  }

  onEnforcement(e: Enforcement, note: string): void {
    this.bus.publish(e.account, 'enforcements', this.eventTs(), {
      key: e.key,
      kind: e.kind,
      rule: e.rule,
      status: e.status,
      attempts: e.attempts,
      note,
      ...(e.symbol ? { symbol: e.symbol } : {}),
    });
    const level = e.status === 'failed' ? 'error' : 'info';
    this.log[level](
      { account: e.account, cid: e.key, rule: e.rule, status: e.status },
      `enforcement ${e.kind}${e.symbol ? ` ${e.symbol}` : ''} (${e.rule}): ${e.status}${note === e.status ? '' : `: ${note}`}`,
    );
  }

  /** A reconcile pass adopted the venue's state (docs/node.md): on the `state` channel, for alerts and the dashboard. */
  onReconcileMismatch(account: string, mismatches: readonly Mismatch[], tradingState: string): void {
    const ts = this.eventTs();
    this.bus.publish(account, 'state', ts, {
      event: 'reconcile_mismatch',
      tradingState,
      mismatches: mismatches.map(mismatchJson),
    });
    this.log.warn(
      { account, mismatches: mismatches.length, tradingState },
      `reconcile ${account}: ${mismatches.length} mismatch(es) with the venue, venue state adopted; account ${tradingState} until a clean pass`,
    );
    this.publishRisk(account, ts, true);
  }

  /** Marks went stale or fresh again: the account's risk view (with `marksStale`) goes out now. */
  onMarks(account: string): void {
    this.publishRisk(account, this.eventTs(), true);
  }

  private readonly lastRiskAt = new Map<string, number>();
  private publishRisk(account: string, ts: string, force = false): void {
    const t = this.now();
    if (!force && t - (this.lastRiskAt.get(account) ?? -Infinity) < 250) return;
    this.lastRiskAt.set(account, t);
    const risk = this.queries.risk(account);
    if (!risk) return;
    this.risksSent += 1;
    this.bus.publish(account, 'risk', ts, risk as unknown as Record<string, unknown>);
  }
}
