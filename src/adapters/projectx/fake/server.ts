/**
 * A local fake ProjectX Gateway over real HTTP (fastify on 127.0.0.1, a free port): the REST
 * endpoints riskgate's adapter uses, with the published request/response JSON, backed by the paper
 * matching engine (venue.ts). Fault switches (`faults`) make it misbehave the way a venue does:
 * 429 bursts with Retry-After, 500s, slow answers, a session token that dies early, and an order
 * that is accepted but whose answer never arrives.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { fixedOfJson, jsonBody, JsonDecimal, VENUE_SIDE, VENUE_TYPE } from '../mapper.ts';
import * as S from '../schemas.ts';
import { AppError } from '../../../errors.ts';
import { fromInt, type Fixed } from '../../../domain/money.ts';
import type { OrderType } from '../../broker.ts';
import { FAKE_CONTRACTS, FakeVenue, type FakeAccount } from './venue.ts';
import { FakeMarketHub } from './hub.ts';

export interface FakeFaults {
  /** The next N requests (any path but auth) answer 429 with `retryAfter` seconds. */
  rateLimitNext: number;
  retryAfter: string | undefined;
  /** The next N requests (any path but auth) answer 500. */
  fail500Next: number;
  /** Every answer waits this long. */
  delayMs: number;
  /** Answers on these paths (e.g. `Order/place`) wait this long more, after the request was carried out. */
  slowPaths: Record<string, number>;
  /** The next N Order/place requests are carried out but their answer is lost (socket dropped). */
  loseAnswerNext: number;
}

export interface FakeProjectX {
  readonly url: string;
  /** The market hub (SignalR JSON protocol over WebSocket). */
  readonly marketHubUrl: string;
  readonly venue: FakeVenue;
  readonly faults: FakeFaults;
  /** Every request seen: path and the HTTP status answered. */
  readonly log: { path: string; status: number }[];
  /** Kills every session token now (the next request gets 401). */
  expireTokens(): void;
  /** Feeds the paper engine and pushes a GatewayQuote to market-hub subscribers. */
  setMarket(symbol: string, bid: string, ask: string): Promise<void>;
  close(): Promise<void>;
}

export interface FakeOptions {
  readonly username?: string;
  readonly apiKey?: string;
  readonly accounts?: readonly FakeAccount[];
  readonly feePerContract?: Fixed;
  /** Session lifetime written into the token's `exp` (default 24 h). */
  readonly tokenTtlMs?: number;
}

type Handler = (body: unknown, accountOk: (id: number) => boolean) => unknown;

const ok = (data: Record<string, unknown> = {}) => ({ ...data, success: true, errorCode: 0, errorMessage: null });
const refuse = (errorCode: number, errorMessage: string) => ({ success: false, errorCode, errorMessage });
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const r = schema.safeParse(body);
  if (!r.success) throw new AppError('ERR_INPUT_INVALID', r.error.issues[0]?.message ?? 'bad request');
  return r.data;
}

const TYPE_OF: Readonly<Record<number, OrderType>> = {
  [VENUE_TYPE.limit]: 'limit',
  [VENUE_TYPE.market]: 'market',
  [VENUE_TYPE.stop]: 'stop',
  [VENUE_TYPE.trailingStop]: 'trailing_stop',
};

const opt = (n: number | null | undefined) => (n === null || n === undefined ? undefined : fixedOfJson(n));

function readRoutes(v: FakeVenue): Record<string, Handler> {
  return {
    'Account/search': () => ok({ accounts: v.accountsJson() }),
    'Contract/search': (b) => {
      const q = parse(S.contractSearchRequest, b).searchText.toUpperCase();
      return ok({
        contracts: FAKE_CONTRACTS.filter((c) => c.name.startsWith(q) || c.symbol === q).map((c) => v.contractJson(c)),
      });
    },
    'Contract/searchById': (b) => {
      const c = v.contract(parse(S.contractByIdRequest, b).contractId);
      return c ? ok({ contract: v.contractJson(c) }) : refuse(1, 'contract not found');
    },
    'Order/searchOpen': (b) => ok({ orders: v.ordersJson(parse(S.accountRequest, b).accountId, true) }),
    'Order/search': (b) => {
      const r = parse(S.timeRangeRequest, b);
      return ok({ orders: v.ordersJson(r.accountId, false, Date.parse(r.startTimestamp)) });
    },
    'Position/searchOpen': (b) => ok({ positions: v.positionsJson(parse(S.accountRequest, b).accountId) }),
    'Trade/search': (b) => {
      const r = parse(S.timeRangeRequest, b);
      return ok({ trades: v.tradesJson(r.accountId, Date.parse(r.startTimestamp)) });
    },
  };
}

function actionRoutes(v: FakeVenue): Record<string, Handler> {
  return {
    'Order/place': (b, accountOk) => {
      const r = parse(S.placeOrderRequest, b);
      if (!accountOk(r.accountId)) return refuse(1, 'account not found');
      const symbol = v.symbolOf(r.contractId);
      const type = TYPE_OF[r.type];
      if (!symbol) return refuse(2, 'contract not found');
      if (!type) return refuse(2, `order type ${r.type} not supported`);
      const tag = r.customTag ?? `auto-${Math.random().toString(36).slice(2)}`;
      if (v.hasTag(r.accountId, tag)) return refuse(2, 'customTag must be unique across the account');
      const side = r.side === VENUE_SIDE.buy ? 'buy' : 'sell';
      const trailStart = opt(r.trailPrice);
      const orderId = v.place(
        r.accountId,
        {
          symbol,
          side,
          qty: fromInt(r.size),
          type,
          limitPrice: opt(r.limitPrice),
          stopPrice: type === 'trailing_stop' ? trailStart : opt(r.stopPrice),
          trailAmount: trailStart === undefined ? undefined : v.trailFrom(symbol, side, trailStart),
        },
        tag,
      );
      return ok({ orderId });
    },
    'Order/cancel': (b, accountOk) => {
      const r = parse(S.orderRefRequest, b);
      const o = accountOk(r.accountId) ? v.paperOrder(r.accountId, r.orderId) : undefined;
      if (!o) return refuse(1, 'order not found');
      if (o.status !== 'working') return refuse(2, `order is ${o.status}`);
      v.paper.exchange.cancel(String(r.accountId), o.orderId);
      return ok();
    },
    'Order/modify': (b, accountOk) => {
      const r = parse(S.modifyOrderRequest, b);
      const o = accountOk(r.accountId) ? v.paperOrder(r.accountId, r.orderId) : undefined;
      if (!o) return refuse(1, 'order not found');
      if (o.status !== 'working') return refuse(2, `order is ${o.status}`);
      v.paper.exchange.modify(String(r.accountId), o.orderId, {
        ...(r.size ? { qty: fromInt(r.size) } : {}),
        ...(opt(r.limitPrice) !== undefined ? { limitPrice: opt(r.limitPrice) } : {}),
        ...(opt(r.stopPrice) !== undefined ? { stopPrice: opt(r.stopPrice) } : {}),
      });
      return ok();
    },
    'Position/closeContract': (b, accountOk) => {
      const r = parse(S.closeContractRequest, b);
      const symbol = v.symbolOf(r.contractId);
      if (!symbol || !accountOk(r.accountId)) return refuse(1, 'position not found');
      const pos = v.paper.exchange.positionQty(String(r.accountId), symbol);
      if (pos === 0n) return ok();
      const tag = `close-${Math.random().toString(36).slice(2)}`;
      v.place(
        r.accountId,
        { symbol, side: pos > 0n ? 'sell' : 'buy', qty: pos > 0n ? pos : -pos, type: 'market' },
        tag,
      );
      return ok();
    },
  };
}

type ApiRequest = FastifyRequest<{ Params: { controller: string; action: string } }>;

/** Sessions, fault switches and request dispatch of one fake Gateway. */
class Gateway {
  readonly faults: FakeFaults = {
    rateLimitNext: 0,
    retryAfter: undefined,
    fail500Next: 0,
    delayMs: 0,
    slowPaths: {},
    loseAnswerNext: 0,
  };
  readonly log: { path: string; status: number }[] = [];
  readonly live = new Set<string>();
  private tokenSeq = 0;
  private readonly handlers: Record<string, Handler>;

  constructor(
    readonly venue: FakeVenue,
    private readonly o: FakeOptions,
  ) {
    this.handlers = { ...readRoutes(venue), ...actionRoutes(venue) };
  }

  private issue(): string {
    const exp = Math.floor((Date.now() + (this.o.tokenTtlMs ?? 86_400_000)) / 1000);
    const t = `${b64({ alg: 'none' })}.${b64({ exp, n: ++this.tokenSeq })}.fake`;
    this.live.add(t);
    return t;
  }

  private async answer(reply: FastifyReply, path: string, status: number, body: unknown): Promise<FastifyReply> {
    const wait = this.faults.delayMs + (this.faults.slowPaths[path] ?? 0);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    this.log.push({ path, status });
    if (status === 429 && this.faults.retryAfter !== undefined)
      void reply.header('retry-after', this.faults.retryAfter);
    return reply.code(status).type('application/json').send(jsonBody(body));
  }

  /** A fault due now answers instead of the endpoint (auth is never faulted). */
  private injected(): number | undefined {
    if (this.faults.rateLimitNext > 0) {
      this.faults.rateLimitNext--;
      return 429;
    }
    if (this.faults.fail500Next > 0) {
      this.faults.fail500Next--;
      return 500;
    }
    return undefined;
  }

  async handle(req: ApiRequest, reply: FastifyReply): Promise<FastifyReply> {
    const path = `${req.params.controller}/${req.params.action}`;
    if (path === 'Auth/loginKey') {
      const r = S.loginKeyRequest.safeParse(req.body);
      const good =
        r.success &&
        r.data.userName === (this.o.username ?? 'trader') &&
        r.data.apiKey === (this.o.apiKey ?? 'key-123');
      return this.answer(reply, path, 200, good ? ok({ token: this.issue() }) : refuse(3, 'invalid credentials'));
    }
    if (!this.live.has((req.headers.authorization ?? '').replace(/^Bearer /, '')))
      return this.answer(reply, path, 401, {});
    if (path === 'Auth/validate') return this.answer(reply, path, 200, ok({ newToken: this.issue() }));
    const fault = this.injected();
    if (fault !== undefined) return this.answer(reply, path, fault, {});
    const handler = this.handlers[path];
    if (!handler) return this.answer(reply, path, 404, {});
    let body: unknown;
    try {
      body = handler(req.body, (id) => this.venue.accounts.some((a) => a.id === id));
    } catch (e) {
      return this.answer(reply, path, 400, { error: (e as Error).message });
    }
    if (path === 'Order/place' && this.faults.loseAnswerNext > 0) {
      this.faults.loseAnswerNext--;
      this.log.push({ path, status: 0 });
      reply.raw.destroy();
      return reply;
    }
    return this.answer(reply, path, 200, body);
  }
}

export async function startFakeProjectX(o: FakeOptions = {}): Promise<FakeProjectX> {
  const venue = new FakeVenue(
    o.accounts ?? [{ id: 7001, name: 'PRAC-7001', balance: '50000' }],
    o.feePerContract ?? 0n,
  );
  const gw = new Gateway(venue, o);
  const app = Fastify({ logger: false });
  const hub = new FakeMarketHub();
  await hub.register(app, (t) => gw.live.has(t));
  app.post('/api/:controller/:action', (req: ApiRequest, reply) => gw.handle(req, reply));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    marketHubUrl: `${url}/hubs/market`,
    venue,
    faults: gw.faults,
    log: gw.log,
    expireTokens: () => gw.live.clear(),
    setMarket: async (symbol, bid, ask) => {
      const ts = Date.now();
      venue.setMarket(symbol, bid, ask, ts);
      const c = FAKE_CONTRACTS.find((x) => x.symbol === symbol);
      if (c)
        await hub.quote(c.id, {
          symbol: c.id,
          bestBid: new JsonDecimal(bid),
          bestAsk: new JsonDecimal(ask),
          timestamp: new Date(ts).toISOString(),
        });
    },
    close: async () => {
      hub.close();
      await app.close();
    },
  };
}
