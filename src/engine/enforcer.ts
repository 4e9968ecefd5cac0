/**
 * Enforcement (DESIGN §1 invariant 2): every close / trim / cancel decided by a rule becomes an
 * enforcement with an idempotency key, is journaled before the broker is called, and is retried
 * (backoff + jitter) until the broker's own positions and orders confirm it, or an alert says it
 * could not be. State machine per enforcement:
 *
 *   requested → sent → acknowledged → confirmed
 *        ↑________ retry (not confirmed) ___|      → failed (attempts exhausted: alert)
 *
 * Cancel-all runs before any flatten of the same account. Broker order keys are
 * `<enforcement key>#<attempt>`, so a retry after a restart re-sends the same key and the broker
 * returns the order it already holds instead of doubling it. Time and randomness are injected.
 */
import { abs, ZERO, formatFixed, type Fixed } from '../domain/money.ts';

/** The broker calls enforcement needs (structurally satisfied by every BrokerAdapter). */
export interface EnforcementBroker {
  placeOrder(req: {
    account: string;
    clientOrderId: string;
    symbol: string;
    side: 'buy' | 'sell';
    qty: Fixed;
    type: 'market';
    reduceOnly: true;
  }): Promise<{ orderId: string; status: string }>;
  cancelOrder(account: string, orderId: string): Promise<unknown>;
  searchOpenOrders(account: string, symbol?: string): Promise<{ orderId: string; symbol: string }[]>;
  getPositions(account: string): Promise<{ symbol: string; qty: Fixed }[]>;
}

export type EnforcementKind = 'cancel_orders' | 'close_position' | 'close_all' | 'trim';
export type EnforcementStatus = 'requested' | 'sent' | 'acknowledged' | 'confirmed' | 'failed';

export interface Enforcement {
  readonly key: string;
  readonly account: string;
  readonly kind: EnforcementKind;
  readonly rule: string;
  readonly symbol?: string;
  /** trim: the signed quantity to keep. */
  readonly toQty?: Fixed;
  status: EnforcementStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
}

export interface EnforcerOptions {
  broker: EnforcementBroker;
  /** Event or wall clock (ms), injected. */
  now: () => number;
  /** [0, 1) source for jitter, injected (seeded in tests). */
  random?: () => number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Called before every broker call and on every status change (journal first). */
  record?: (e: Enforcement, note: string) => void;
  alert?: (e: Enforcement, message: string) => void;
  /** Dry run: decisions journaled, no broker calls. */
  dryRun?: boolean;
}

const KIND_ORDER: Record<EnforcementKind, number> = { cancel_orders: 0, close_all: 1, trim: 2, close_position: 3 };

export class Enforcer {
  private readonly pending = new Map<string, Enforcement>();
  private readonly done = new Map<string, Enforcement>();
  private readonly opts: Required<Omit<EnforcerOptions, 'record' | 'alert'>> &
    Pick<EnforcerOptions, 'record' | 'alert'>;

  constructor(opts: EnforcerOptions) {
    this.opts = { random: () => 0.5, maxAttempts: 8, baseDelayMs: 250, maxDelayMs: 30_000, dryRun: false, ...opts };
  }

  /** Queues an enforcement; a key seen before (pending or done) is ignored: idempotent. */
  request(e: Omit<Enforcement, 'status' | 'attempts' | 'nextAttemptAt'>): Enforcement {
    const existing = this.pending.get(e.key) ?? this.done.get(e.key);
    if (existing) return existing;
    const enf: Enforcement = { ...e, status: 'requested', attempts: 0, nextAttemptAt: this.opts.now() };
    this.pending.set(enf.key, enf);
    this.opts.record?.(enf, 'requested');
    return enf;
  }

  /** Restores an enforcement from the journal after a restart (keeps its attempt count). */
  restore(e: Enforcement): void {
    if (e.status === 'confirmed' || e.status === 'failed') this.done.set(e.key, e);
    else this.pending.set(e.key, { ...e });
  }

  list(): Enforcement[] {
    return [...this.pending.values(), ...this.done.values()];
  }

  get(key: string): Enforcement | undefined {
    return this.pending.get(key) ?? this.done.get(key);
  }

  /** Pending enforcements of an account (the account is REDUCING while any exist). */
  pendingFor(account: string): Enforcement[] {
    return [...this.pending.values()].filter((e) => e.account === account);
  }

  /** Drives every due enforcement one step; cancel-all before flatten per account. */
  async run(): Promise<void> {
    const due = [...this.pending.values()].filter((e) => e.nextAttemptAt <= this.opts.now());
    due.sort((a, b) =>
      a.account < b.account ? -1 : a.account > b.account ? 1 : KIND_ORDER[a.kind] - KIND_ORDER[b.kind],
    );
    for (const e of due) await this.attempt(e);
  }

  /** Runs until nothing is pending or due (bounded by attempts). */
  async drain(maxRounds = 100): Promise<void> {
    for (let i = 0; i < maxRounds && this.pending.size > 0; i++) await this.run();
  }

  private async attempt(e: Enforcement): Promise<void> {
    e.attempts++;
    if (this.opts.dryRun) {
      this.transition(e, 'confirmed', 'dry run: no broker call');
      return;
    }
    try {
      if (await this.confirmed(e)) {
        this.transition(e, 'confirmed', 'broker state confirms');
        return;
      }
      await this.act(e);
      if (await this.confirmed(e)) this.transition(e, 'confirmed', 'broker state confirms');
      else this.retryLater(e, 'not yet confirmed by broker state');
    } catch (err) {
      this.retryLater(e, err instanceof Error ? err.message : String(err));
    }
  }

  private async act(e: Enforcement): Promise<void> {
    const { broker } = this.opts;
    // Cancel first: working orders could re-open what the flatten closes.
    const cancelScope = e.kind === 'close_position' || e.kind === 'trim' ? e.symbol : undefined;
    for (const o of await broker.searchOpenOrders(e.account, cancelScope)) {
      this.opts.record?.(e, `cancel ${o.orderId}`);
      await broker.cancelOrder(e.account, o.orderId).catch(() => undefined); // already gone is fine
    }
    if (e.kind === 'cancel_orders') {
      this.transition(e, 'acknowledged', 'cancels sent');
      return;
    }
    const positions = await broker.getPositions(e.account);
    let n = 0;
    for (const p of positions) {
      if (p.qty === ZERO) continue;
      if (e.kind !== 'close_all' && p.symbol !== e.symbol) continue;
      const target = e.kind === 'trim' ? (e.toQty ?? ZERO) : ZERO;
      const reduceBy = abs(p.qty) - abs(target);
      if (reduceBy <= ZERO) continue;
      const clientOrderId = `${e.key}#${e.attempts}#${n++}`;
      this.transition(
        e,
        'sent',
        `${p.qty > ZERO ? 'sell' : 'buy'} ${formatFixed(reduceBy)} ${p.symbol} reduce-only (${clientOrderId})`,
      );
      const order = await broker.placeOrder({
        account: e.account,
        clientOrderId,
        symbol: p.symbol,
        side: p.qty > ZERO ? 'sell' : 'buy',
        qty: reduceBy,
        type: 'market',
        reduceOnly: true,
      });
      if (order.status !== 'rejected') this.transition(e, 'acknowledged', `order ${order.orderId} ${order.status}`);
    }
  }

  /** Whether the broker's positions and orders show the enforcement done. */
  private async confirmed(e: Enforcement): Promise<boolean> {
    const { broker } = this.opts;
    if (e.kind === 'cancel_orders') return (await broker.searchOpenOrders(e.account, e.symbol)).length === 0;
    const positions = await broker.getPositions(e.account);
    for (const p of positions) {
      if (e.kind === 'close_all' && p.qty !== ZERO) return false;
      if (e.kind === 'close_position' && p.symbol === e.symbol && p.qty !== ZERO) return false;
      if (e.kind === 'trim' && p.symbol === e.symbol && abs(p.qty) > abs(e.toQty ?? ZERO)) return false;
    }
    return true;
  }

  private retryLater(e: Enforcement, why: string): void {
    e.lastError = why;
    if (e.attempts >= this.opts.maxAttempts) {
      this.transition(e, 'failed', `gave up after ${e.attempts} attempts: ${why}`);
      this.opts.alert?.(
        e,
        `enforcement ${e.kind}${e.symbol ? ` ${e.symbol}` : ''} for ${e.account} could not be confirmed: ${why}`,
      );
      return;
    }
    // Exponential backoff with ±50 % jitter so many accounts do not retry in lockstep.
    const base = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (e.attempts - 1));
    e.nextAttemptAt = this.opts.now() + Math.round(base * (0.5 + this.opts.random()));
    this.transition(e, 'requested', `retry at +${e.nextAttemptAt - this.opts.now()}ms: ${why}`);
  }

  private transition(e: Enforcement, status: EnforcementStatus, note: string): void {
    e.status = status;
    this.opts.record?.(e, note);
    if (status === 'confirmed' || status === 'failed') {
      this.pending.delete(e.key);
      this.done.set(e.key, e);
    }
  }
}

/** The enforcements a decision's outcomes call for (cancel first), with stable keys. */
export function enforcementsFor(decision: {
  account: string;
  rule: string;
  ts: string;
  outcomes: readonly { kind: string; symbol?: string; toQty?: Fixed }[];
}): Omit<Enforcement, 'status' | 'attempts' | 'nextAttemptAt'>[] {
  const out: Omit<Enforcement, 'status' | 'attempts' | 'nextAttemptAt'>[] = [];
  for (const o of decision.outcomes) {
    if (o.kind !== 'cancel_orders' && o.kind !== 'close_position' && o.kind !== 'close_all' && o.kind !== 'trim')
      continue;
    const key = `${decision.account}|${decision.rule}|${decision.ts}|${o.kind}|${o.symbol ?? '*'}`;
    out.push({
      key,
      account: decision.account,
      kind: o.kind,
      rule: decision.rule,
      ...(o.symbol ? { symbol: o.symbol } : {}),
      ...(o.toQty !== undefined ? { toQty: o.toQty } : {}),
    });
  }
  return out.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}
