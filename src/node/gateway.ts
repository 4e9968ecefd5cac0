/**
 * The live loop (DESIGN §1, the imperative shell around the pure engine). It connects a
 * BrokerAdapter to the risk engine (gateway-core.ts holds time, journal, enforcement runs and
 * trading states; this file the broker's streams, user orders and venue-side order changes):
 *
 *   broker quotes / fills / order updates / account state ──▶ `step` (engine + journal)
 *   breach decisions ──▶ enforcementsFor ──▶ Enforcer (journaled, kind `enforcement`) ──▶ broker
 *   user orders ──▶ trading state + new-order lane + engine pre-trade ──▶ rejected | broker
 *
 * Every event enters the engine through one function with the shape of `replay.step` (the
 * persistent engine wrapper can be injected), at a gateway time that never goes backwards:
 * max(previous, the venue's timestamp or the injected clock). Engine order ids are the client
 * order ids; broker order ids are mapped back on every update and fill. See docs/node.md.
 */
import type { Order, OrderChanges } from '../adapters/broker.ts';
import { isoOf, parseEvent, type OrderUpdateEvent } from '../domain/events.ts';
import { formatFixed, type Fixed } from '../domain/money.ts';
import { enforcementsFor, type Enforcement } from '../engine/enforcer.ts';
import type { Decision } from '../engine/decision.ts';
import { fillBooked, positionQty, preTradeCheck, workingOrderIds, workingOrders } from '../engine/views.ts';
import { fillEvent, orderEvent, orderStatusEvent, orderUpdateEvent, quoteEvent } from './gateway-events.ts';
import { isRiskReducing, stateOf } from './gateway-state.ts';
import { GatewayCore, type ModifyResult, type NewOrder, type SubmitResult } from './gateway-core.ts';
import { GroupCommit, recheck, unroutedCancel, type AwaitingCommit } from './group-commit.ts';

export type { GatewayOptions, ModifyResult, NewOrder, StepFn, SubmitResult } from './gateway-core.ts';

/** How far before the last event riskgate processed its start-up looks for fills it missed. */
const CATCH_UP_MS = 3_600_000;

export class Gateway extends GatewayCore {
  /** One journal flush for the orders accepted in the same turn of the event loop (group-commit.ts). */
  private readonly commit = new GroupCommit(() => this.journal.flush?.());
  /** Orders accepted and waiting for their group commit, by client order id. */
  private readonly awaiting = new Map<string, AwaitingCommit>();

  // ── lifecycle ───────────────────────────────────────────────────────────────
  /** Connects, subscribes to the broker's streams and reports each account's state to the engine. */
  async start(): Promise<void> {
    await this.broker.connect();
    // After a restart the engine (rebuilt from the journal) already holds working orders: they are
    // known, and the broker's open orders give back the broker id → engine id mapping.
    for (const id of workingOrderIds(this.engine)) this.ids.known.add(id);
    for (const account of this.opts.accounts) {
      for (const o of await this.broker.searchOpenOrders(account)) {
        this.ids.engineIds.set(o.orderId, o.clientOrderId);
        this.ids.brokerIds.set(o.clientOrderId, o.orderId);
      }
    }
    this.unsubscribe.push(
      this.broker.onQuote((q) => this.guard(() => this.apply(quoteEvent(q, this.advance(q.ts))))),
      this.broker.onOrder((o) => this.guard(() => this.onBrokerOrder(o))),
      // A venue that pushes account state (ProjectX user hub: canTrade) is applied as it comes.
      this.broker.onAccount?.((s) =>
        this.guard(() => {
          if (this.opts.accounts.includes(s.account)) this.applyAccountState(s);
        }),
      ) ?? (() => undefined),
      this.broker.onFill((f) =>
        this.guard(() => {
          const key = `${f.account}|${f.fillId}`;
          if (this.ids.seenFills.has(key)) return; // a venue may replay fills after a reconnect
          this.ids.seenFills.add(key);
          this.apply(fillEvent(f, this.ids.engineIds.get(f.orderId) ?? f.orderId, this.advance(f.ts)));
        }),
      ),
    );
    const last = this.engine.clock.lastT; // before the account events below move it to now
    for (const account of this.opts.accounts) await this.syncAccount(account);
    for (const account of this.opts.accounts) await this.catchUpFills(account, last);
  }

  /**
   * Fills of riskgate's own orders that the venue booked while riskgate was down (e.g. killed
   * between sending a flatten and reading its fill): booked at their real prices before the first
   * reconcile pass. Fills of orders riskgate never placed are left to reconcile (adopted, alerted).
   */
  private async catchUpFills(account: string, last: number): Promise<void> {
    const pending = this.enforcer.pendingFor(account);
    const working = new Set(workingOrders(this.engine, account).map((o) => o.orderId));
    if (!Number.isFinite(last) || (pending.length === 0 && working.size === 0)) return;
    const ours = (clientOrderId: string): boolean =>
      working.has(clientOrderId) || pending.some((e) => clientOrderId.startsWith(`${e.key}#`));
    for (const f of await this.broker.getFills(account, last - CATCH_UP_MS)) {
      const key = `${f.account}|${f.fillId}`;
      if (fillBooked(this.engine, account, f.fillId) || this.ids.seenFills.has(key)) continue;
      const order = await this.broker.getOrder(account, f.orderId).catch(() => undefined);
      if (!order || !ours(order.clientOrderId)) continue;
      this.ids.seenFills.add(key);
      this.ids.engineIds.set(order.orderId, order.clientOrderId);
      this.ids.brokerIds.set(order.clientOrderId, order.orderId);
      // Booked at the time riskgate learns of it: records journaled before the crash may be later than the venue's ts.
      this.apply(fillEvent(f, order.clientOrderId, this.advance()));
    }
  }

  async stop(): Promise<void> {
    for (const u of this.unsubscribe.splice(0)) u();
    await this.idle();
  }

  // ── user orders ─────────────────────────────────────────────────────────────
  /**
   * A new order: trading state and new-order lane (opening orders only), the engine's pre-trade
   * check (the order event is recorded either way), then the broker once the group commit made
   * the order event durable and the re-check passed. Risk-reducing orders skip the state and lane
   * gates and go to the broker reduce-only.
   */
  async submitOrder(req: NewOrder): Promise<SubmitResult> {
    const clientOrderId = req.clientOrderId ?? `gw-${this.advance()}-${++this.idSeq}`;
    const t = this.advance();
    this.fireDueTimers(t);
    const reducing = isRiskReducing(positionQty(this.engine, req.account, req.symbol), req);
    const raw = orderEvent(
      {
        ...req,
        type: req.type,
        limitPrice: req.limitPrice,
        stopPrice: req.stopPrice,
        reduceOnly: req.reduceOnly ?? false,
      },
      clientOrderId,
      t,
    );
    const event = parseEvent(raw);
    if (event.type !== 'order') throw new Error('unreachable');
    const ruleRejections = this.engine.mode === 'enforce' ? preTradeCheck(this.engine, req.account, event) : [];
    if (!reducing && ruleRejections.length === 0) {
      const gate = this.gate(req.account, t);
      if (gate) {
        this.record('gateway_decision', req.account, {
          kind: 'rejection',
          rule: 'GATEWAY',
          action: 'reject',
          symbol: req.symbol,
          orderId: clientOrderId,
          reason: gate.reason,
          outcomes: [{ kind: 'reject', orderId: clientOrderId, code: gate.code }],
        });
        return { status: 'rejected', clientOrderId, codes: [gate.code], rules: ['GATEWAY'], reasons: [gate.reason] };
      }
    }
    this.ids.known.add(clientOrderId);
    const decisions = this.apply(raw);
    const rejected = decisions.filter((d) => d.kind === 'rejection' && d.orderId === clientOrderId);
    if (rejected.length > 0 && this.engine.mode === 'enforce') {
      this.ids.ended.add(clientOrderId);
      this.apply(orderStatusEvent(req.account, clientOrderId, 'rejected', this.advance()));
      const codes = rejected.flatMap((d) => d.outcomes.flatMap((o) => (o.kind === 'reject' ? [o.code] : [])));
      return {
        status: 'rejected',
        clientOrderId,
        codes,
        rules: rejected.map((d) => d.rule),
        reasons: rejected.map((d) => d.reason),
      };
    }
    const reduceOnly = reducing || (req.reduceOnly ?? false);
    const waiting: AwaitingCommit = { req, reduceOnly };
    this.awaiting.set(clientOrderId, waiting);
    try {
      await this.commit.durable(); // the order event is durable before the order leaves (group-commit.ts)
    } catch (err) {
      this.endUnrouted(req.account, clientOrderId);
      throw err;
    } finally {
      this.awaiting.delete(clientOrderId);
    }
    const refused = this.refusedAfterCommit(req.account, clientOrderId, reducing, waiting);
    if (refused) return refused;
    let order: Order;
    try {
      order = await this.broker.placeOrder({ ...req, clientOrderId, reduceOnly });
    } catch (err) {
      this.endUnrouted(req.account, clientOrderId);
      throw err;
    }
    this.onBrokerOrder(order);
    return { status: 'routed', order, reduceOnly };
  }

  /** The re-check after the group commit (group-commit.ts `recheck`); a refused order is ended in the engine. */
  private refusedAfterCommit(
    account: string,
    clientOrderId: string,
    reducing: boolean,
    waiting: AwaitingCommit,
  ): SubmitResult | undefined {
    const ended = this.ids.ended.has(clientOrderId);
    const no = recheck(clientOrderId, waiting, ended, reducing, () => this.reasons(account));
    if (!no) return undefined;
    if (!ended)
      this.record('gateway_decision', account, {
        kind: 'rejection',
        rule: 'GATEWAY',
        action: 'reject',
        symbol: waiting.req.symbol,
        orderId: clientOrderId,
        reason: no.reason,
        outcomes: [{ kind: 'reject', orderId: clientOrderId, code: no.code }],
      });
    this.endUnrouted(account, clientOrderId);
    return { status: 'rejected', clientOrderId, codes: [no.code], rules: ['GATEWAY'], reasons: [no.reason] };
  }

  /** An accepted order that will not reach the broker leaves the engine as rejected (once). */
  private endUnrouted(account: string, clientOrderId: string): void {
    if (this.ids.ended.has(clientOrderId)) return;
    this.ids.ended.add(clientOrderId);
    this.apply(orderStatusEvent(account, clientOrderId, 'rejected', this.advance()));
  }

  /**
   * Changes a working order (riskgate's or the broker's id). A change that adds exposure is
   * pre-trade checked like a new order (enforce mode) and refused when a rule rejects it; the
   * venue's confirmed change then enters the engine as an `order_update` (DESIGN §4).
   */
  async modifyOrder(account: string, orderId: string, changes: OrderChanges): Promise<ModifyResult> {
    const t = this.advance();
    this.fireDueTimers(t);
    const engineId = this.ids.engineIds.get(orderId) ?? orderId;
    if (this.engine.mode === 'enforce') {
      const update = parseEvent(orderUpdateEvent(account, engineId, changes, t)) as OrderUpdateEvent;
      const rejections = this.engine.preTradeUpdate(account, update);
      if (rejections.length > 0) {
        for (const r of rejections)
          this.record('gateway_decision', account, {
            kind: 'rejection',
            rule: r.rule,
            action: 'reject',
            orderId: engineId,
            reason: `modify refused: ${r.reason}`,
            outcomes: [{ kind: 'reject', orderId: engineId, code: r.code }],
          });
        return {
          status: 'rejected',
          orderId: engineId,
          codes: rejections.map((r) => r.code),
          rules: rejections.map((r) => r.rule),
          reasons: rejections.map((r) => r.reason),
        };
      }
    }
    this.journal.flush?.();
    const order = await this.broker.modifyOrder(account, this.ids.brokerIds.get(engineId) ?? orderId, changes);
    this.onBrokerOrder(order);
    return { status: 'routed', order };
  }

  /** Cancels are never blocked (invariant 1): straight to the broker (riskgate's or the broker's order id). */
  async cancelOrder(account: string, orderId: string): Promise<Order> {
    const waiting = this.awaiting.get(orderId);
    if (waiting && waiting.req.account === account && !this.ids.ended.has(orderId)) {
      // Not at the broker yet (it waits for its group commit): cancelled here, and never routed.
      const t = this.advance();
      waiting.cancelledAt = t;
      this.ids.ended.add(orderId);
      this.apply(orderStatusEvent(account, orderId, 'cancelled', t));
      return unroutedCancel(orderId, waiting, t);
    }
    const order = await this.broker.cancelOrder(account, this.ids.brokerIds.get(orderId) ?? orderId);
    this.onBrokerOrder(order);
    return order;
  }

  /** A manual flatten of an account: the same enforcement machinery as a rule's close_all. */
  async flatten(account: string, reason: string): Promise<Enforcement[]> {
    const ts = isoOf(this.advance());
    const out = enforcementsFor({
      account,
      rule: 'MANUAL',
      ts,
      outcomes: [{ kind: 'cancel_orders' }, { kind: 'close_all' }],
    }).map((e) => this.enforcer.request(e));
    this.record('gateway_decision', account, {
      kind: 'manual',
      rule: 'MANUAL',
      action: 'close_all',
      reason,
      outcomes: [{ kind: 'cancel_orders' }, { kind: 'close_all' }],
    });
    await this.kick();
    return out;
  }

  private gate(account: string, t: number): { code: string; reason: string } | undefined {
    const r = this.reasons(account);
    const state = stateOf(r);
    if (state !== 'ACTIVE')
      return {
        code: `TRADING_STATE_${state}`,
        reason: `account ${account} is ${state} (${[...r.halted, ...r.reducing].join('; ')}): only risk-reducing orders pass`,
      };
    if (!this.lane.take(t))
      return {
        code: 'RATE_LIMITED',
        reason: 'new-order lane is empty (too many new orders); cancels and closes are not limited',
      };
    return undefined;
  }

  // ── broker order updates ────────────────────────────────────────────────────
  private onBrokerOrder(o: Order): void {
    const id = o.clientOrderId;
    this.ids.engineIds.set(o.orderId, id);
    this.ids.brokerIds.set(id, o.orderId);
    if (!this.ids.known.has(id)) {
      if (o.status === 'rejected') return; // never worked: nothing for the engine to know
      this.ids.known.add(id);
      // An order riskgate did not route (enforcement, bracket child, the venue's own UI).
      const ds = this.apply(orderEvent(o, id, this.advance(o.updatedTs)));
      if (
        this.engine.mode === 'enforce' &&
        o.status === 'working' &&
        ds.some((d) => d.kind === 'rejection' && d.orderId === id)
      ) {
        this.queue(o.account, `cancel of ${o.orderId}, rejected by riskgate`, () =>
          this.broker.cancelOrder(o.account, o.orderId),
        ); // riskgate would have rejected it
      }
    } else if (o.status === 'working') this.applyVenueChange(o, id);
    // A filled order leaves the engine with its last fill (its status precedes the fill here).
    if ((o.status === 'cancelled' || o.status === 'rejected') && !this.ids.ended.has(id)) {
      this.ids.ended.add(id);
      this.apply(orderStatusEvent(o.account, id, o.status, this.advance(o.updatedTs)));
    }
  }

  /**
   * A working order changed at the venue (qty, limit or stop price): the engine learns it as an
   * `order_update`; one riskgate would have rejected is cancelled (enforce mode), journaled first.
   */
  private applyVenueChange(o: Order, id: string): void {
    const held = workingOrders(this.engine, o.account).find((w) => w.orderId === id);
    if (!held || held.rejected) return;
    const changes: { qty?: Fixed; limitPrice?: Fixed; stopPrice?: Fixed } = {};
    if (o.qty !== held.qty) changes.qty = o.qty;
    if (o.limitPrice !== undefined && o.limitPrice !== held.price) changes.limitPrice = o.limitPrice;
    if (o.stopPrice !== undefined && o.stopPrice !== held.stopPrice) changes.stopPrice = o.stopPrice;
    if (Object.keys(changes).length === 0) return;
    const ds = this.apply(orderUpdateEvent(o.account, id, changes, this.advance(o.updatedTs)));
    if (this.engine.mode !== 'enforce' || !ds.some((d) => d.outcomes.some((x) => x.kind === 'cancel_order'))) return;
    const ts = isoOf(this.advance());
    const head = {
      key: `${o.account}|cancel_order|${id}|${ts}`,
      kind: 'cancel_order',
      rule: ds.find((d) => d.kind === 'rejection')?.rule ?? 'GATEWAY',
      symbol: o.symbol,
      orderId: id,
    };
    this.requestCall(o.account, head, `cancel ${o.orderId}: its change at the venue was rejected by riskgate`, {
      what: `cancel of ${o.orderId}, changed at the venue beyond the rules`,
      call: () => this.broker.cancelOrder(o.account, o.orderId),
    });
  }

  /**
   * A broker call decided outside the Enforcer (a venue-side change riskgate rejects, a stop move):
   * journaled as a requested enforcement first, then queued for the kick loop (skipped in dry run).
   */
  private requestCall(
    account: string,
    head: { key: string; kind: string; rule: string; symbol?: string; orderId: string } & Record<string, unknown>,
    note: string,
    queued: { what: string; call: () => Promise<unknown> } | undefined,
  ): void {
    this.record('enforcement', account, {
      ...head,
      status: 'requested',
      attempts: 0,
      note,
      ...(this.opts.dryRun ? { dryRun: true } : {}),
    });
    if (queued) this.queue(account, queued.what, queued.call);
  }

  /** RULE-012: the engine moved a stop (it already holds the new price); the broker's order follows. */
  protected moveStops(d: Decision): void {
    for (const o of d.outcomes) {
      if (o.kind !== 'move_stop') continue;
      const brokerId = this.ids.brokerIds.get(o.orderId);
      const stopPrice = formatFixed(o.stopPrice);
      const head = {
        key: `${d.account}|${d.rule}|${d.ts}|move_stop|${o.orderId}`,
        kind: 'move_stop',
        rule: d.rule,
        ...(d.symbol ? { symbol: d.symbol } : {}),
        orderId: o.orderId,
        stopPrice,
      };
      this.requestCall(
        d.account,
        head,
        brokerId ? `modify ${brokerId} stop ${stopPrice}` : 'no broker order known',
        brokerId
          ? {
              what: `move stop of ${brokerId} to ${stopPrice}`,
              call: () => this.broker.modifyOrder(d.account, brokerId, { stopPrice: o.stopPrice }),
            }
          : undefined,
      );
    }
  }
}
