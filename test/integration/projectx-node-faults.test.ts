/**
 * A real trading node (`broker.kind: projectx`, built from the config by the adapter registry)
 * against the fake Gateway, under each venue fault: a daily-loss breach (RULE-003) still ends flat
 * at the venue, its resting order cancelled, within a bounded time, with every order placed once;
 * and a hub dropped during the lockout neither loses the lockout nor lets an opening order through.
 */
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.ts';
import { fromInt, parseFixed } from '../../src/domain/money.ts';
import { silentLogger } from '../../src/node/logger.ts';
import { TradingNode } from '../../src/node/node.ts';
import { startFakeProjectX, type FakeProjectX } from '../../src/adapters/projectx/fake/server.ts';

const FLAT_WITHIN_MS = 20_000;
const KEY_ENV = 'RG_TEST_PROJECTX_KEY';

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms: number): Promise<void> => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

interface Rig {
  readonly fake: FakeProjectX;
  readonly node: TradingNode;
  readonly dir: string;
}

async function boot(): Promise<Rig> {
  process.env[KEY_ENV] = 'key-123';
  const fake = await startFakeProjectX();
  const config = configSchema.parse(
    parse(`
risk:
  rules:
    RULE-003: { limit: "100" }
broker:
  kind: projectx
  baseUrl: "${fake.url}"
  userHubUrl: "${fake.userHubUrl}"
  marketHubUrl: "${fake.marketHubUrl}"
  username: trader
  apiKeyEnv: ${KEY_ENV}
  marksStaleAfter: "10m"
  accounts: { "7001": TX1 }
`),
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-px-'));
  const node = await TradingNode.build({
    config,
    dataDir: dir,
    feed: false,
    random: () => 0.5,
    tickMs: 50,
    reconcileMs: 3_600_000,
    enforcement: { baseDelayMs: 100, maxDelayMs: 1000 },
    logger: silentLogger(),
  });
  await node.start();
  return { fake, node, dir };
}

const position = (fake: FakeProjectX) => fake.venue.paper.exchange.positionQty('7001', 'MNQ');
const working = (fake: FakeProjectX) => fake.venue.ordersJson(7001, true).length;

/** Long 2 MNQ at 100.25 and a resting buy at 90; then a sell of 1 at 49.75 realizes −101 < −100. */
async function openThenBreach(rig: Rig, fault: () => void | Promise<void>): Promise<number> {
  const { fake, node } = rig;
  await fake.setMarket('MNQ', '100.00', '100.25');
  const buy = await node.submitOrder({ account: 'TX1', symbol: 'MNQ', side: 'buy', qty: fromInt(2), type: 'market' });
  assert.equal(buy.status, 'routed');
  const rest = await node.submitOrder({
    account: 'TX1',
    symbol: 'MNQ',
    side: 'buy',
    qty: fromInt(1),
    type: 'limit',
    limitPrice: parseFixed('90'),
  });
  assert.equal(rest.status, 'routed');
  await until('the buy in the engine', () => node.queries.positions('TX1').length === 1, 5000);
  await fault();
  await fake.setMarket('MNQ', '49.75', '50.00');
  const started = Date.now();
  const sell = await node.submitOrder({ account: 'TX1', symbol: 'MNQ', side: 'sell', qty: fromInt(1), type: 'market' });
  assert.equal(sell.status, 'routed');
  return started;
}

async function assertFlattenedOnce(rig: Rig, started: number): Promise<void> {
  const { fake, node } = rig;
  await until(
    'flat at the venue, no working order',
    () => position(fake) === 0n && working(fake) === 0,
    FLAT_WITHIN_MS,
  );
  assert.ok(Date.now() - started < FLAT_WITHIN_MS);
  // buy, resting limit, the losing sell, one flatten order: nothing placed twice.
  assert.equal(fake.venue.orderCount(7001), 4);
  const risk = node.queries.risk('TX1');
  assert.ok(
    risk?.locks.some((l) => l.rule === 'RULE-003'),
    'locked by RULE-003',
  );
  assert.equal(risk?.state, 'REDUCING');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(fake.venue.orderCount(7001), 4, 'no late duplicate');
  assert.equal(position(fake), 0n);
}

const FAULTS: Record<string, (rig: Rig) => void | Promise<void>> = {
  '429 bursts': ({ fake }) => {
    fake.faults.rateLimitNext = 3;
    fake.faults.retryAfter = '0.2';
    // A second burst as the losing sell fills: the flatten runs into it.
    const emit = fake.venue.onUserEvent;
    fake.venue.onUserEvent = (e) => {
      if (e.target === 'GatewayUserTrade' && fake.faults.rateLimitNext === 0) fake.faults.rateLimitNext = 6;
      emit(e);
    };
  },
  '500s': ({ fake }) => {
    fake.faults.fail500Next = 3;
  },
  'slow responses': ({ fake }) => {
    fake.faults.delayMs = 250;
  },
  'a dropped hub': ({ fake }) => {
    fake.hubs.faults.down = true;
    fake.hubs.drop();
    setTimeout(() => (fake.hubs.faults.down = false), 1500).unref();
  },
  'duplicated hub events': ({ fake }) => {
    fake.hubs.faults.duplicate = true;
  },
  'out-of-order hub events': ({ fake }) => {
    fake.hubs.faults.reorder = 3;
  },
  'a token expiring early': ({ fake }) => {
    fake.expireTokens();
    fake.hubs.drop();
  },
  'lost answers': ({ fake }) => {
    fake.faults.loseAnswerNext = 2; // the losing sell's and the flatten's
  },
  'lagging position reads': ({ fake }) => {
    fake.stalePositions(6);
  },
};

const count = (fake: FakeProjectX, status: number) => fake.log.filter((l) => l.status === status).length;

/** That the fault did happen (a test whose fault never fired proves nothing). */
const EVIDENCE: Record<string, (fake: FakeProjectX) => void | Promise<void>> = {
  '429 bursts': (fake) => assert.ok(count(fake, 429) >= 9, `429s: ${count(fake, 429)}`),
  '500s': (fake) => assert.equal(count(fake, 500), 3),
  'a dropped hub': (fake) => until('both hubs back', () => fake.hubs.connections >= 4, 10_000),
  'a token expiring early': (fake) => assert.ok(count(fake, 401) >= 1),
  'lost answers': (fake) => assert.equal(count(fake, 0), 2),
  'lagging position reads': (fake) => assert.equal(fake.faults.stalePositionReads, 0, 'every stale read served'),
};

describe('projectx node: daily-loss flatten under venue faults', () => {
  let rig: Rig | undefined;
  afterEach(async () => {
    if (!rig) return;
    await rig.node.stop();
    rig.node.close();
    await rig.fake.close();
    rmSync(rig.dir, { recursive: true, force: true });
    rig = undefined;
  });

  for (const [name, fault] of Object.entries(FAULTS))
    it(`ends flat, once, under ${name}`, async () => {
      rig = await boot();
      const r = rig;
      const started = await openThenBreach(r, () => fault(r));
      await assertFlattenedOnce(r, started);
      await EVIDENCE[name]?.(r.fake);
    });

  it('the venue stopping trading on the account (GatewayUserAccount canTrade) reaches the engine', async () => {
    rig = await boot();
    const { fake, node } = rig;
    assert.equal(node.queries.risk('TX1')?.canTrade, true);
    await fake.setCanTrade(7001, false);
    await until('canTrade false in the engine', () => node.queries.risk('TX1')?.canTrade === false, 5000);
    await fake.setCanTrade(7001, true);
    await until('canTrade back', () => node.queries.risk('TX1')?.canTrade === true, 5000);
  });

  it('a hub dropped during the lockout keeps the lockout, marks go stale and come back', async () => {
    rig = await boot();
    const { fake, node } = rig;
    const started = await openThenBreach(rig, () => undefined);
    await assertFlattenedOnce(rig, started);
    const published: number[] = [];
    node.bus.subscribe((m) => {
      if (m.channel === 'risk' && Array.isArray(m.data.marksStale)) published.push(m.data.marksStale.length);
    });
    fake.hubs.faults.down = true;
    fake.hubs.drop();
    await until('marks stale on /risk', () => (node.queries.risk('TX1')?.marksStale.length ?? 0) > 0, 5000);
    const during = await node.submitOrder({
      account: 'TX1',
      symbol: 'MNQ',
      side: 'buy',
      qty: fromInt(1),
      type: 'market',
    });
    assert.equal(during.status, 'rejected', 'no opening order while locked and stale');
    fake.hubs.faults.down = false;
    await until('marks fresh', () => node.queries.risk('TX1')?.marksStale.length === 0, 10_000);
    await until('both changes on the bus', () => published.includes(0) && published.some((n) => n > 0), 2000);
    assert.ok(
      published.indexOf(
        0,
        published.findIndex((n) => n > 0),
      ) > 0,
      'stale, then fresh',
    );
    const risk = node.queries.risk('TX1');
    assert.ok(
      risk?.locks.some((l) => l.rule === 'RULE-003'),
      'the lockout survived the reconnect',
    );
    const after = await node.submitOrder({
      account: 'TX1',
      symbol: 'MNQ',
      side: 'buy',
      qty: fromInt(1),
      type: 'market',
    });
    assert.equal(after.status, 'rejected', 'still locked after the hub is back');
    assert.equal(position(fake), 0n);
    assert.equal(fake.venue.orderCount(7001), 4);
  });
});
