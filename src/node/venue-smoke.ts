/**
 * `riskgate smoke --config <cfg>` against a configured venue (a `broker` section other than paper):
 * the same 8 checkpoints, driven without touching the account unless asked to. Dry run (default):
 * the venue is logged into and read, the gateway subscribes and reconciles, the first event and the
 * rules' evaluation of the live account are reported, and a flatten is triggered that is journaled
 * but never sent; the venue's positions and orders must be unchanged at the end. `--live-orders`:
 * the smoke buys 1 contract of `--symbol`, then flattens it for real, confirmed by the venue.
 */
import type { BrokerAdapter } from '../adapters/broker.ts';
import type { RawConfig } from '../config/schema.ts';
import { resolveRules } from '../config/rules.ts';
import { formatFixed, fromInt, ZERO } from '../domain/money.ts';
import { AppError } from '../errors.ts';
import { verifyJournal } from '../store/sqlite/verify.ts';
import type { BusMessage } from './bus.ts';
import type { TradingNode } from './node.ts';
import { journalPath } from './persistent-engine.ts';

export interface VenueSmokeContext {
  readonly node: TradingNode;
  readonly config: RawConfig;
  readonly symbol: string;
  readonly liveOrders: boolean;
  checkpoint(n: number, detail: string): void;
  reached(): number;
  frozen(): boolean;
  fail(err: unknown): void;
  finish(line: string): void;
}

/** Whether a config names a venue other than the paper broker. */
export function namesVenue(config: RawConfig): boolean {
  const kind = config.broker?.kind;
  return typeof kind === 'string' && kind !== 'paper';
}

export async function runVenueSmoke(c: VenueSmokeContext): Promise<void> {
  const { node } = c;
  const rt = node.live!;
  const account = rt.accounts[0];
  if (!account) throw new AppError('ERR_CONFIG_INVALID', 'the broker serves no account');
  const rules = await loginAndRules(c, account);
  const before = await venueBook(rt.broker, account);
  // The flatten closes everything in the account: live orders only on an account with nothing at stake.
  if (c.liveOrders && before !== EMPTY_BOOK)
    throw new AppError(
      'ERR_INPUT_INVALID',
      `--live-orders: ${account} is not flat (${before}); the smoke trades only a flat account`,
    );
  let first: string | undefined;
  node.bus.subscribe((m) => {
    if (c.frozen() || (m.channel !== 'quotes' && m.account !== account)) return;
    first ??= describeEvent(m);
    const e = m.data;
    if (m.channel === 'enforcements' && e.status === 'requested' && e.note === 'requested' && c.reached() === 7)
      c.checkpoint(8, `${String(e.kind)} (${String(e.rule)}), key ${String(e.key)}, journaled before any venue call`);
  });
  await node.start({ feed: false });
  c.checkpoint(
    5,
    `gateway subscribed to the ${rt.brokerKind} venue and reconciled; ${c.liveOrders ? 'live orders: the smoke trades 1 contract' : 'dry run: no order reaches the venue'}`,
  );
  if (c.frozen()) return;
  if (c.liveOrders) {
    const r = await node.submitOrder({
      account,
      symbol: c.symbol,
      side: 'buy',
      qty: fromInt(1),
      type: 'market',
      clientOrderId: 'smoke-entry',
    });
    if (r.status === 'rejected') throw new Error(`smoke entry order rejected: ${r.codes.join(', ')}`);
  }
  // A quiet market (or a closed one) sends nothing: the venue's account state, read now, is the event then.
  for (let i = 0; i < 20 && !first; i++) await new Promise((r) => setTimeout(r, 50));
  c.checkpoint(6, first ?? (await accountLine(rt.broker, account)));
  if (c.frozen()) return;
  const risk = node.queries.risk(account) as unknown as Readonly<Record<string, unknown>> | undefined;
  c.checkpoint(7, evaluation(risk ?? {}, rules));
  if (c.frozen()) return;
  await flatten(c, account, before);
}

/** Checkpoints 3 and 4: every account read from the venue (a login), the rules of the first. */
async function loginAndRules(c: VenueSmokeContext, account: string): Promise<string[]> {
  const rt = c.node.live!;
  const states = await Promise.all(rt.accounts.map((a) => rt.broker.getAccount(a)));
  const seen = states.map((s) => `${s.account} canTrade ${String(s.canTrade)} balance ${formatFixed(s.balance)}`);
  c.checkpoint(3, `${rt.brokerKind} venue reachable, logged in: ${seen.join(', ')}`);
  const rules = resolveRules(c.config, account).map((r) => r.rule.id);
  if (rules.length === 0) throw new AppError('ERR_CONFIG_INVALID', 'no rule enabled: nothing to evaluate');
  c.checkpoint(4, `${rules.length} rule(s) for ${account}: ${rules.join(', ')} (${c.node.mode} mode)`);
  return rules;
}

async function accountLine(broker: BrokerAdapter, account: string): Promise<string> {
  const s = await broker.getAccount(account);
  return `account state of ${account} read from the venue: canTrade ${String(s.canTrade)}, balance ${formatFixed(s.balance)}`;
}

/** Triggers the flatten, waits for its verdict, then checks the venue and the journal. */
async function flatten(c: VenueSmokeContext, account: string, before: string): Promise<void> {
  const { node } = c;
  const enforcements = await node.flatten(account, 'smoke: enforcement check');
  const closeAll = enforcements.find((e) => e.kind === 'close_all');
  for (let i = 0; closeAll && closeAll.status !== 'confirmed' && closeAll.status !== 'failed' && i < 400; i++) {
    await node.tick();
    await new Promise((r) => setTimeout(r, 50));
  }
  if (closeAll?.status !== 'confirmed') throw new Error(`flatten not confirmed (${closeAll?.status ?? 'none'})`);
  node.commit();
  const v = verifyJournal(journalPath(node.dataDir));
  if (!v.ok) throw new Error(`journal verify failed at seq ${v.seq}: ${v.detail}`);
  const broker = node.live!.broker;
  const after = await venueBook(broker, account);
  if (!c.liveOrders) {
    if (after !== before) throw new Error(`dry run, yet the venue changed: before ${before}; after ${after}`);
    c.finish(
      `smoke: ok: all 8 checkpoints reached; enforcement confirmed (dry run): journaled, no venue call; venue unchanged (${after}); journal ${v.records} records, chain intact`,
    );
    return;
  }
  const left = (await broker.getPositions(account)).find((p) => p.symbol === c.symbol)?.qty ?? ZERO;
  if (left !== ZERO) throw new Error(`flatten confirmed but the venue still holds ${formatFixed(left)} ${c.symbol}`);
  c.finish(
    `smoke: ok: all 8 checkpoints reached; enforcement confirmed by the venue: ${account} ${c.symbol} position 0 (${after}); journal ${v.records} records, chain intact`,
  );
}

const EMPTY_BOOK = 'positions none; 0 working order(s)';

/** The venue's positions and working orders of an account, as one comparable line. */
async function venueBook(broker: BrokerAdapter, account: string): Promise<string> {
  const positions = (await broker.getPositions(account)).map((p) => `${p.symbol} ${formatFixed(p.qty)}`);
  const orders = await broker.searchOpenOrders(account);
  return `positions ${positions.join(', ') || 'none'}; ${orders.length} working order(s)`;
}

function describeEvent(m: BusMessage): string {
  if (m.channel === 'quotes') return `quote ${m.symbol} at ${m.ts}`;
  const what = m.channel === 'risk' ? 'account state' : m.channel;
  return `${what} of ${m.account} from the venue at ${m.ts}`;
}

/** What the rules make of the live account: each limit's distance, or the rules that report none. */
function evaluation(risk: Readonly<Record<string, unknown>>, rules: readonly string[]): string {
  const distances = Array.isArray(risk.distances)
    ? (risk.distances as { rule: string; symbol?: string; value: string; limit: string; usedPct: number }[])
    : [];
  if (distances.length === 0) return `rules ${rules.join(', ')} evaluated on the account state: nothing near a limit`;
  return distances
    .map((d) => `${d.rule}${d.symbol ? ` ${d.symbol}` : ''} ${d.value} of ${d.limit} (${d.usedPct}% used)`)
    .join('; ');
}
