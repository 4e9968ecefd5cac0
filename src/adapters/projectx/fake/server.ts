/**
 * A local fake ProjectX Gateway over real HTTP (fastify on 127.0.0.1, a free port): the REST
 * endpoints (routes.ts) with the published request/response JSON, backed by the paper matching
 * engine (venue.ts), and both real-time hubs (hub.ts) fed by the same engine. Fault switches
 * (`faults`, `hubs.faults`) make it misbehave the way a venue does: 429 bursts with Retry-After,
 * 500s, slow answers, a session token that dies early, an order that is accepted but whose answer
 * never arrives, position reads that lag behind, a clock that runs off, dropped hub connections,
 * hub events sent twice or out of order.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { jsonBody, JsonDecimal } from '../mapper.ts';
import * as S from '../schemas.ts';
import type { Fixed } from '../../../domain/money.ts';
import { FAKE_CONTRACTS, FakeVenue, type FakeAccount } from './venue.ts';
import { FakeHubs } from './hub.ts';
import { actionRoutes, ok, readRoutes, refuse, type Handler } from './routes.ts';

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
  /** The next N Position/searchOpen answers are the snapshot taken by `stalePositions` (a lagging replica). */
  stalePositionReads: number;
  /** The venue's clock runs this far ahead (+) or behind (−): its HTTP `Date` header says so. */
  clockSkewMs: number;
}

export interface FakeProjectX {
  readonly url: string;
  /** The market hub (SignalR JSON protocol over WebSocket). */
  readonly marketHubUrl: string;
  readonly userHubUrl: string;
  /** Both hubs, with their fault switches. */
  readonly hubs: FakeHubs;
  readonly venue: FakeVenue;
  readonly faults: FakeFaults;
  /** Every request seen: path and the HTTP status answered. */
  readonly log: { path: string; status: number }[];
  /** Kills every session token now (the next request gets 401). */
  expireTokens(): void;
  /** Feeds the paper engine and pushes a GatewayQuote to market-hub subscribers. */
  setMarket(symbol: string, bid: string, ask: string): Promise<void>;
  /** Pushes a GatewayTrade (a print on the tape; the paper engine is not fed). */
  trade(symbol: string, price: string): Promise<void>;
  /** The venue (the prop firm) allows or stops trading on an account; pushed as GatewayUserAccount. */
  setCanTrade(accountId: number, canTrade: boolean): Promise<void>;
  /** Freezes every account's positions now: the next `reads` Position/searchOpen answer with them. */
  stalePositions(reads: number): void;
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

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

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
    stalePositionReads: 0,
    clockSkewMs: 0,
  };
  readonly frozenPositions = new Map<number, unknown[]>();
  readonly log: { path: string; status: number }[] = [];
  readonly live = new Set<string>();
  private tokenSeq = 0;
  private readonly handlers: Record<string, Handler>;

  constructor(
    readonly venue: FakeVenue,
    private readonly o: FakeOptions,
  ) {
    const reads = readRoutes(venue);
    const positions = reads['Position/searchOpen'] as Handler;
    this.handlers = {
      ...reads,
      ...actionRoutes(venue),
      'Position/searchOpen': (b, accountOk) => {
        const frozen = this.frozenPositions.get(S.accountRequest.parse(b).accountId);
        if (this.faults.stalePositionReads <= 0 || !frozen) return positions(b, accountOk);
        this.faults.stalePositionReads--;
        return ok({ positions: frozen });
      },
    };
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
    void reply.header('date', new Date(Date.now() + this.faults.clockSkewMs).toUTCString());
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
  const hubs = new FakeHubs();
  await hubs.register(app, (t) => gw.live.has(t));
  venue.onUserEvent = (e) => void hubs.user(e.target, e.accountId, e.data);
  app.post('/api/:controller/:action', (req: ApiRequest, reply) => gw.handle(req, reply));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  const contractOf = (symbol: string) => FAKE_CONTRACTS.find((x) => x.symbol === symbol);
  return {
    url,
    marketHubUrl: `${url}/hubs/market`,
    userHubUrl: `${url}/hubs/user`,
    hubs,
    venue,
    faults: gw.faults,
    log: gw.log,
    expireTokens: () => gw.live.clear(),
    setMarket: async (symbol, bid, ask) => {
      const ts = Date.now();
      venue.setMarket(symbol, bid, ask, ts);
      const c = contractOf(symbol);
      if (c)
        await hubs.market('GatewayQuote', c.id, {
          symbol: c.id,
          bestBid: new JsonDecimal(bid),
          bestAsk: new JsonDecimal(ask),
          timestamp: new Date(ts).toISOString(),
        });
    },
    trade: async (symbol, price) => {
      const c = contractOf(symbol);
      if (c)
        await hubs.market('GatewayTrade', c.id, [
          { symbolId: c.id, price: new JsonDecimal(price), timestamp: new Date().toISOString(), type: 0, volume: 1 },
        ]);
    },
    setCanTrade: async (accountId, canTrade) => {
      venue.paper.exchange.setCanTrade(String(accountId), canTrade);
      const a = venue.accountsJson().find((x) => (x as { id: number }).id === accountId);
      if (a) await hubs.user('GatewayUserAccount', accountId, a);
    },
    stalePositions: (reads) => {
      for (const a of venue.accounts) gw.frozenPositions.set(a.id, venue.positionsJson(a.id));
      gw.faults.stalePositionReads = reads;
    },
    close: async () => {
      hubs.close();
      await app.close();
    },
  };
}
