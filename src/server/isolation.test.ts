/**
 * Per-account isolation of the whole API (DESIGN §6): every route × role (admin, trader of A1,
 * viewer of A1) × account (own, foreign, missing) answers as the role allows, a foreign account
 * exactly like a missing one; hostile strings in every identifier are 4xx; a fast-check fuzz of
 * methods, paths, headers and bodies never gets a 5xx nor another account's data.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fixture, FIXTURE_CONFIG, type Fixture } from './test-fixture.ts';
import { BacktestJobs } from './backtests.ts';
import { replayJobs } from './routes/replays.ts';
import { researchJobs } from './routes/research.ts';

/** A2's balance and order id: if either appears in an answer to an A1 key, data leaked. */
const A2_MARK = '73519.37';
const A2_ORDER = 'SECRET-A2-ORDER';
let f: Fixture;
/** Saved items (strategies, labels) of each account, made by the admin; a missing account's is an unused id. */
const saved: Record<'st' | 'lb', Record<string, string>> = {
  st: { NOPE: 'st_0000000000000000' },
  lb: { NOPE: 'lb_0000000000000000' },
};
const LEG = { kind: 'future', symbol: 'MES', side: 'buy', qty: 1, price: '5000' };
const LABEL = { symbol: 'MES', time: '2026-04-07T13:31:00Z', text: 'matrix' };
before(async () => {
  const backtests = new BacktestJobs(async () => ({ ok: true, json: '{"trades":[]}', html: '<html></html>' }));
  const done = async () => ({ ok: true as const, json: '{}' });
  f = await fixture({
    backtests,
    replays: replayJobs(done),
    research: researchJobs(done),
    config: FIXTURE_CONFIG.replace('{ id: A2, balance: "50000" }', `{ id: A2, balance: "${A2_MARK}" }`),
  });
  for (const a of ['A1', 'A2']) {
    const r = await f.call('POST', '/api/v1/orders', f.k.admin, {
      account: a,
      symbol: 'MES',
      side: 'buy',
      qty: 1,
      orderType: 'limit',
      price: '1000',
      clientOrderId: a === 'A2' ? A2_ORDER : `iso-${a}`,
    });
    assert.equal(r.statusCode, 201, r.body);
    const st = await f.call('POST', '/api/v1/strategies', f.k.admin, { name: a, account: a, legs: [LEG] });
    const lb = await f.call('POST', '/api/v1/labels', f.k.admin, { ...LABEL, account: a });
    assert.equal(st.statusCode, 201, st.body);
    assert.equal(lb.statusCode, 201, lb.body);
    saved.st[a] = st.json().id;
    saved.lb[a] = lb.json().id;
  }
});
after(async () => {
  await f.close();
});

type Role = 'admin' | 'trader' | 'viewer';
const RANK: Record<Role, number> = { viewer: 0, trader: 1, admin: 2 };
interface Route {
  readonly method: string;
  readonly url: (a: string) => string;
  readonly body?: (a: string) => unknown;
  readonly min: Role;
  /** Whether the route is about one account (own / foreign / missing apply). */
  readonly scoped: boolean;
}
const orderId = (a: string) => (a === 'A2' ? A2_ORDER : `iso-${a}`);
const ROUTES: Route[] = [
  ...['risk', 'positions', 'orders', 'fills', 'violations', 'reports/daily', 'shadow-report'].map((r): Route => ({
    method: 'GET',
    url: (a) => `/api/v1/accounts/${a}/${r}`,
    min: 'viewer',
    scoped: true,
  })),
  {
    method: 'POST',
    url: () => '/api/v1/orders',
    body: (a) => ({ account: a, symbol: 'MES', side: 'buy', qty: 1, orderType: 'limit', price: '1000' }),
    min: 'trader',
    scoped: true,
  },
  {
    method: 'PATCH',
    url: (a) => `/api/v1/orders/${orderId(a)}?account=${a}`,
    body: () => ({ price: '1001' }),
    min: 'trader',
    scoped: true,
  },
  { method: 'DELETE', url: (a) => `/api/v1/orders/${orderId(a)}?account=${a}`, min: 'trader', scoped: true },
  {
    method: 'POST',
    url: (a) => `/api/v1/accounts/${a}/flatten`,
    body: () => ({ reason: 'matrix' }),
    min: 'trader',
    scoped: true,
  },
  {
    method: 'POST',
    url: (a) => `/api/v1/admin/accounts/${a}/lock`,
    body: () => ({ reason: 'matrix' }),
    min: 'admin',
    scoped: true,
  },
  {
    method: 'POST',
    url: (a) => `/api/v1/admin/accounts/${a}/unlock`,
    body: () => ({ reason: 'matrix' }),
    min: 'admin',
    scoped: true,
  },
  // Saved strategies and labels of an account (workspace.ts): a foreign one is the same 404 as a missing one.
  ...(['strategies', 'labels'] as const).flatMap((r): Route[] => {
    const id = (a: string) => saved[r === 'strategies' ? 'st' : 'lb'][a];
    const body = (a: string) => (r === 'strategies' ? { name: 'x', legs: [LEG] } : { ...LABEL, text: a });
    return [
      { method: 'GET', url: (a) => `/api/v1/${r}?account=${a}`, min: 'viewer', scoped: true },
      { method: 'GET', url: (a) => `/api/v1/${r}/${id(a)}`, min: 'viewer', scoped: true },
      { method: 'PUT', url: (a) => `/api/v1/${r}/${id(a)}`, body, min: 'trader', scoped: true },
      {
        method: 'POST',
        url: () => `/api/v1/${r}`,
        body: (a) => ({ ...(r === 'strategies' ? { name: 'x', legs: [LEG] } : LABEL), account: a }),
        min: 'trader',
        scoped: true,
      },
    ];
  }),
  { method: 'GET', url: () => '/api/v1/accounts', min: 'viewer', scoped: false },
  { method: 'GET', url: () => '/api/v1/strategies', min: 'viewer', scoped: false },
  { method: 'GET', url: () => '/api/v1/labels', min: 'viewer', scoped: false },
  { method: 'POST', url: () => '/api/v1/replays', body: () => ({ events: '{}\n' }), min: 'viewer', scoped: false },
  {
    method: 'POST',
    url: () => '/api/v1/research/sweeps',
    body: () => ({ strategy: 'sma-cross', params: ['period=5'] }),
    min: 'viewer',
    scoped: false,
  },
  { method: 'GET', url: () => '/api/v1/config', min: 'viewer', scoped: false },
  { method: 'GET', url: () => '/api/v1/instruments', min: 'viewer', scoped: false },
  {
    method: 'POST',
    url: () => '/api/v1/analytics/iv',
    body: () => ({ type: 'call', underlying: 100, strike: 100, years: 1, price: 10 }),
    min: 'viewer',
    scoped: false,
  },
  {
    method: 'POST',
    url: () => '/api/v1/backtests',
    body: () => ({ strategy: 'sma-cross' }),
    min: 'viewer',
    scoped: false,
  },
  {
    method: 'GET',
    url: () => '/api/v1/calendar?symbol=MES&from=2026-03-01&to=2026-03-07',
    min: 'viewer',
    scoped: false,
  },
  {
    method: 'GET',
    url: () => '/api/v1/historical?symbol=MES&from=2000-01-03&to=2000-01-07',
    min: 'viewer',
    scoped: false,
  },
  {
    method: 'POST',
    url: () => '/api/v1/indicators',
    body: () => ({ indicator: 'sma', params: { period: 2 }, symbol: 'MES', from: '2000-01-03', to: '2000-01-07' }),
    min: 'viewer',
    scoped: false,
  },
  { method: 'GET', url: () => '/api/v1/admin/apikeys', min: 'admin', scoped: false },
  {
    method: 'POST',
    url: () => '/api/v1/admin/apikeys',
    body: () => ({ role: 'viewer', accounts: ['A1'] }),
    min: 'admin',
    scoped: false,
  },
];

test('isolation matrix: every route × role × own/foreign/missing account', async () => {
  let checked = 0;
  for (const route of ROUTES) {
    for (const role of ['admin', 'trader', 'viewer'] as const) {
      const targets = route.scoped ? (['own', 'foreign', 'missing'] as const) : (['own'] as const);
      const answers: Record<string, { status: number; body: string }> = {};
      for (const target of targets) {
        const account = { own: 'A1', foreign: 'A2', missing: 'NOPE' }[target];
        const r = await f.call(route.method, route.url(account), f.k[role], route.body?.(account));
        answers[target] = { status: r.statusCode, body: r.body };
        const what = `${route.method} ${route.url(account)} as ${role}: ${r.statusCode} ${r.body.slice(0, 200)}`;
        assert.notEqual(r.statusCode, 401, what);
        assert.ok(r.statusCode < 500, what);
        const allowedRole = RANK[role] >= RANK[route.min];
        const sees = target === 'own' || (target === 'foreign' && role === 'admin');
        if (!allowedRole) assert.equal(r.statusCode, 403, what);
        else if (!sees) assert.equal(r.statusCode, 404, what);
        else assert.ok(r.statusCode < 300 || r.statusCode === 409, what);
        if (role !== 'admin') assert.ok(!r.body.includes(A2_MARK) && !r.body.includes(A2_ORDER), `leak: ${what}`);
        checked++;
      }
      if (answers.foreign && answers.missing && role !== 'admin') {
        assert.equal(answers.foreign.status, answers.missing.status);
        // Saved items' ids differ by nature; everything else must be the same.
        const anyId = (b: string) => b.replace(/\b(st|lb)_[0-9a-f]{16}\b/g, 'X');
        assert.equal(
          anyId(answers.foreign.body.replaceAll('A2', 'X').replaceAll(A2_ORDER, 'X')),
          anyId(answers.missing.body.replaceAll('NOPE', 'X').replaceAll('iso-X', 'X')),
          `${route.method} ${route.url('X')}: foreign and missing differ`,
        );
      }
    }
  }
  assert.ok(checked >= 100, `checked ${checked}`);
  for (const route of ROUTES)
    assert.equal(
      (await f.call(route.method, route.url('A1'), undefined, route.body?.('A1'))).statusCode,
      401,
      'no key: 401',
    );
});

const HOSTILE = [
  "' OR '1'='1' --",
  'A1; DROP TABLE journal;',
  '../../../etc/passwd',
  '..\\..\\windows',
  'a\u0000b',
  'x'.repeat(10_240),
  '\u202eA1\u202c',
  '\u2066A1\u2069',
  '<script>alert(1)</script>',
  '${jndi:ldap://x/a}',
  '%00',
  ' A1',
  'A1\n',
];

test('hostile strings in every identifier are 4xx, never 5xx, and change nothing', async () => {
  const order = { account: 'A1', symbol: 'MES', side: 'buy', qty: 1, orderType: 'limit', price: '1000' };
  const cases: [string, string, unknown?][] = [];
  for (const h of HOSTILE) {
    const e = encodeURIComponent(h);
    for (const field of ['account', 'symbol', 'side', 'qty', 'orderType', 'price', 'stopPrice', 'clientOrderId'])
      cases.push(['POST', '/api/v1/orders', { ...order, [field]: h }]);
    cases.push(
      ['GET', `/api/v1/accounts/${e}/risk`],
      ['POST', `/api/v1/accounts/${e}/flatten`, {}],
      ['PATCH', `/api/v1/orders/${e}`, { price: '1' }],
      ['DELETE', `/api/v1/orders/${e}`],
      ['DELETE', `/api/v1/orders/iso-A1?account=${e}`],
    );
    cases.push(
      ['POST', `/api/v1/admin/accounts/${e}/lock`, { reason: 'x' }],
      ['DELETE', `/api/v1/admin/apikeys/${e}`],
      ['GET', `/api/v1/backtests/${e}`],
      ['GET', `/api/v1/replays/${e}`],
      ['GET', `/api/v1/research/sweeps/${e}`],
      ['GET', `/api/v1/strategies/${e}`],
      ['PUT', `/api/v1/labels/${e}`, LABEL],
      ['DELETE', `/api/v1/strategies/${e}`],
      ['GET', `/api/v1/labels?account=${e}`],
    );
    cases.push(
      ['POST', '/api/v1/strategies', { name: 'x', legs: [{ ...LEG, symbol: h }] }],
      ['POST', '/api/v1/strategies', { name: 'x', account: h, legs: [LEG] }],
      ['POST', '/api/v1/labels', { ...LABEL, symbol: h }],
      ['POST', '/api/v1/labels', { ...LABEL, time: h }],
      ['POST', '/api/v1/research/sweeps', { strategy: h, params: ['period=5'] }],
      ['POST', '/api/v1/replays', { events: '{}\n', config: { risk: { rules: { [h]: {} } } } }],
    );
    cases.push(
      ['POST', '/api/v1/backtests', { strategy: h }],
      ['POST', '/api/v1/backtests', { strategy: 'sma-cross', data: h }],
      ['POST', '/api/v1/admin/apikeys', { role: 'trader', accounts: ['A1'], tier: h }],
    );
    cases.push(
      ['POST', '/api/v1/analytics/iv', { type: h, underlying: 1, strike: 1, years: 1, price: 1 }],
      ['POST', '/api/v1/analytics/var', { returns: [h] }],
    );
  }
  const journaled = f.node.journal({ limit: 1_000_000 }).length;
  for (const [method, url, body] of cases) {
    const r = await f.call(method, url, f.k.admin, body);
    const what = `${method} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 120)}: ${r.statusCode} ${r.body.slice(0, 200)}`;
    assert.ok(r.statusCode >= 400 && r.statusCode < 500, what);
    assert.match(r.json().error.code, /^ERR_[A-Z_]+$/, what);
  }
  assert.equal(f.node.journal({ limit: 1_000_000 }).length, journaled, 'nothing was journaled');
  // Prototype names are ordinary ids (stores are Maps): accepted or refused, never a 5xx or a polluted prototype.
  for (const name of ['__proto__', 'constructor', 'hasOwnProperty']) {
    for (const field of ['symbol', 'clientOrderId'])
      assert.ok((await f.call('POST', '/api/v1/orders', f.k.trader, { ...order, [field]: name })).statusCode < 500);
    assert.ok(
      (await f.call('PUT', '/api/v1/config', f.k.admin, JSON.parse(`{"${name}": {"polluted": true}}`))).statusCode <
        500,
    );
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  // Free text is journaled as given, never interpreted; control and bidi characters are refused.
  assert.equal(
    (await f.call('POST', '/api/v1/admin/accounts/A1/lock', f.k.admin, { reason: 'a\u0000b' })).statusCode,
    400,
  );
  assert.equal(
    (await f.call('POST', '/api/v1/admin/accounts/A1/lock', f.k.admin, { reason: '\u202eevil' })).statusCode,
    400,
  );
  assert.equal(
    (await f.call('POST', '/api/v1/admin/accounts/A1/lock', f.k.admin, { reason: 'x'.repeat(10_240) })).statusCode,
    400,
  );
});

test('fuzz: random methods, paths, headers and bodies: no 5xx, no data of A2 to an A1 key', async () => {
  const segment = fc.oneof(
    fc.constantFrom(
      'api',
      'v1',
      'accounts',
      'orders',
      'A1',
      'A2',
      'NOPE',
      'risk',
      'fills',
      'positions',
      'violations',
      'flatten',
      'admin',
      'lock',
      'unlock',
      'config',
      'instruments',
      'analytics',
      'iv',
      'var',
      'greeks',
      'maxpain',
      'optimize',
      'backtests',
      'apikeys',
      'strategies',
      'labels',
      'replays',
      'research',
      'sweeps',
      A2_ORDER,
      'iso-A1',
      '..',
      '%00',
      '%2e%2e',
      '%zz',
      '%',
      'x'.repeat(10_240),
    ),
    fc.string({ maxLength: 12 }).map(encodeURIComponent),
  );
  const path = fc.oneof(
    fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/api/v1/${s.join('/')}`),
    fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/${s.join('/')}`),
    fc
      .tuple(
        fc.constantFrom('/api/v1/accounts/A2/', '/api/v1/accounts/A1/', '/api/v1/orders/'),
        segment,
        fc.constantFrom('', '?account=A2', '?account=A1', '?limit=5', '?status=working', '?x=%00'),
      )
      .map(([a, b, c]) => a + b + c),
  );
  const body = fc.oneof(
    fc.constant(undefined),
    fc.jsonValue({ maxDepth: 3 }),
    fc.string({ maxLength: 50 }),
    fc.record(
      {
        account: fc.constantFrom('A1', 'A2', 'NOPE'),
        symbol: fc.constantFrom('MES', 'CL', 'x'),
        side: fc.constantFrom('buy', 'sell', 'up'),
        qty: fc.oneof(fc.integer(), fc.string({ maxLength: 5 })),
        orderType: fc.constantFrom('market', 'limit', 'iceberg'),
        price: fc.constantFrom('1000', '-1', 'abc', '1e5'),
      },
      { requiredKeys: [] },
    ),
  );
  const method = fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS');
  const who = fc.constantFrom('trader', 'viewer', 'none', 'garbage', 'bearer');
  const contentType = fc.constantFrom(
    undefined,
    'application/json',
    'text/plain',
    'application/yaml',
    'multipart/form-data',
    'application/json; charset=utf-16',
  );
  await fc.assert(
    fc.asyncProperty(method, path, who, body, contentType, async (m, url, w, b, ct) => {
      const headers: Record<string, string> = {};
      if (w === 'trader' || w === 'viewer') headers['x-api-key'] = f.k[w];
      if (w === 'garbage') headers['x-api-key'] = 'rg_zz_\u0000';
      if (w === 'bearer') headers.authorization = 'Bearer abc.def.ghi';
      if (ct) headers['content-type'] = ct;
      const payload = b === undefined ? undefined : typeof b === 'string' ? b : JSON.stringify(b);
      const r = await f.app.inject({
        method: m as 'GET',
        url,
        headers,
        ...(payload !== undefined && m !== 'GET' && m !== 'HEAD' ? { payload } : {}),
      });
      assert.ok(
        r.statusCode < 500,
        `${m} ${url} ${w} ${ct} ${payload?.slice(0, 100)}: ${r.statusCode} ${r.body.slice(0, 200)}`,
      );
      if (w !== 'none')
        assert.ok(
          !r.body.includes(A2_MARK) &&
            !(r.body.includes(A2_ORDER) && !url.includes(A2_ORDER) && !(payload ?? '').includes(A2_ORDER)),
          `leak: ${m} ${url}: ${r.body.slice(0, 300)}`,
        );
    }),
    { numRuns: 400, seed: 20261207 },
  );
});
