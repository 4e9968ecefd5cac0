/**
 * Reference and research routes: the trading-day calendar (labels from the node's reset time and
 * zone, CME sessions and holidays), bundled historical bars as decimal strings, and indicators
 * over given or historical bars checked against hand computations; 400s name the field, no key
 * is a 401, an unknown symbol a catalogued 404.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { fixture, FIXTURE_CONFIG, type Fixture } from './test-fixture.ts';

let f: Fixture;
before(async () => {
  f = await fixture();
});
after(async () => {
  await f.close();
});

const near = (a: number, e: number) => Math.abs(a - e) <= 1e-9 * Math.max(1, Math.abs(e));

test('calendar: March 2026 in CT with a 17:00 reset; sessions follow DST; weekends have no session', async () => {
  const res = await f.call('GET', '/api/v1/calendar?symbol=MES&from=2026-03-01&to=2026-03-31', f.k.viewer);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json();
  assert.equal(body.timezone, 'America/Chicago');
  assert.equal(body.resetTime, '17:00');
  assert.equal(body.days.length, 31);
  assert.equal(body.days[0].label, '2026-03-01');
  assert.equal(body.days.at(-1).label, '2026-03-31');
  const mon = body.days.find((d: { label: string }) => d.label === '2026-03-02');
  // Monday's day runs from Sunday 17:00 CST (23:00Z) to Monday 17:00 CST; the session ends at 16:00.
  assert.deepEqual(
    { start: mon.start, end: mon.end, weekday: mon.weekday, tradingDay: mon.tradingDay },
    { start: '2026-03-01T23:00:00.000Z', end: '2026-03-02T23:00:00.000Z', weekday: 'mon', tradingDay: true },
  );
  assert.deepEqual(mon.session, {
    open: '2026-03-01T23:00:00.000Z',
    close: '2026-03-02T22:00:00.000Z',
    earlyClose: false,
  });
  const afterDst = body.days.find((d: { label: string }) => d.label === '2026-03-09');
  assert.equal(afterDst.start, '2026-03-08T22:00:00.000Z');
  assert.equal(afterDst.session.close, '2026-03-09T21:00:00.000Z');
  const sat = body.days.find((d: { label: string }) => d.label === '2026-03-07');
  assert.equal(sat.tradingDay, false);
  assert.equal(sat.session, null);
  assert.deepEqual(body.holidays, []);
  assert.ok(Date.parse(body.nextReset) > Date.now());
});

test('calendar: holidays and early closes in range; the range cap and bad fields are 400s; no key is 401', async () => {
  const good = await f.call('GET', '/api/v1/calendar?symbol=MES&from=2026-04-01&to=2026-04-05', f.k.trader);
  assert.deepEqual(good.json().holidays, [{ date: '2026-04-03', name: 'Good Friday' }]);
  const friday = good.json().days.find((d: { label: string }) => d.label === '2026-04-03');
  assert.equal(friday.holiday, 'Good Friday');
  assert.equal(friday.session, null);
  const nov = await f.call('GET', '/api/v1/calendar?symbol=MES&from=2026-11-25&to=2026-11-27', f.k.viewer);
  // 12:15 CST = 18:15Z.
  assert.deepEqual(nov.json().earlyCloses, [{ date: '2026-11-27', close: '2026-11-27T18:15:00.000Z' }]);
  const cases: [string, RegExp][] = [
    ['symbol=MES&from=2026-01-01&to=2027-01-02', /^querystring\.to: .*367 days.*366/],
    ['symbol=MES&from=2026-02-30&to=2026-03-02', /^querystring\.from: not a calendar date/],
    ['symbol=MES&from=2026-03-02&to=2026-03-01', /^querystring\.to: .*before/],
    ['symbol=MES&from=0001-01-01&to=0001-01-05', /^querystring\.from: year 1 is outside 1900–2199/],
    ['symbol=MES&from=March&to=2026-03-01', /^querystring\.from/],
    ['from=2026-03-01&to=2026-03-02', /^querystring\.symbol/],
    ['symbol=NOPE&from=2026-03-01&to=2026-03-02', /^querystring\.symbol: unknown instrument/],
  ];
  for (const [q, message] of cases) {
    const res = await f.call('GET', `/api/v1/calendar?${q}`, f.k.viewer);
    assert.equal(res.statusCode, 400, q);
    assert.match(res.json().error.message, message, q);
  }
  const anon = await f.call('GET', '/api/v1/calendar?symbol=MES&from=2026-03-01&to=2026-03-31');
  assert.equal(anon.statusCode, 401);
  assert.equal(anon.json().error.code, 'ERR_AUTH_REQUIRED');
});

test('calendar: labels follow the node config (Europe/London, 00:00 reset names each day by its date)', async () => {
  const london = await fixture({ config: `timezone: Europe/London\nresetTime: "00:00"\n${FIXTURE_CONFIG}` });
  try {
    const res = await london.call('GET', '/api/v1/calendar?symbol=MES&from=2026-07-01&to=2026-07-01', london.k.viewer);
    assert.equal(res.statusCode, 200, res.body);
    const [day] = res.json().days;
    assert.equal(res.json().timezone, 'Europe/London');
    // Midnight BST is 23:00Z the evening before.
    assert.deepEqual(
      [day.label, day.start, day.end],
      ['2026-07-01', '2026-06-30T23:00:00.000Z', '2026-07-01T23:00:00.000Z'],
    );
  } finally {
    await london.close();
  }
});

test('historical: bundled MES bars as decimal strings; long ranges are capped; unknown symbol is a 404', async () => {
  const res = await f.call(
    'GET',
    '/api/v1/historical?symbol=MES&from=2000-01-01&to=2000-01-05&interval=1d',
    f.k.viewer,
  );
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().truncated, false);
  assert.deepEqual(res.json().bars[0], {
    date: '2000-01-03',
    open: '1469.25',
    high: '1478',
    low: '1438.359985',
    close: '1455.219971',
    volume: '931800000',
  });
  assert.deepEqual(
    res.json().bars.map((b: { date: string }) => b.date),
    ['2000-01-03', '2000-01-04', '2000-01-05'],
  );
  const long = await f.call('GET', '/api/v1/historical?symbol=ES&from=2000-01-01&to=2020-12-31', f.k.viewer);
  assert.equal(long.statusCode, 200);
  assert.equal(long.json().bars.length, 2000);
  assert.equal(long.json().truncated, true);
  assert.match(long.json().message, /first 2000/);
  const rest = await f.call('GET', `/api/v1/historical?symbol=ES&from=${long.json().next}&to=2020-12-31`, f.k.viewer);
  assert.ok(rest.json().bars[0].date > long.json().bars.at(-1).date);
  const unknown = await f.call(
    'GET',
    '/api/v1/historical?symbol=..%2F..%2Fetc&from=2000-01-01&to=2000-01-05',
    f.k.viewer,
  );
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.json().error.message, /^querystring\.symbol/);
  const nq = await f.call('GET', '/api/v1/historical?symbol=NQ&from=2000-01-01&to=2000-01-05', f.k.viewer);
  assert.equal(nq.statusCode, 404);
  assert.equal(nq.json().error.code, 'ERR_HISTORY_UNKNOWN_SYMBOL');
  const interval = await f.call(
    'GET',
    '/api/v1/historical?symbol=MES&from=2000-01-01&to=2000-01-05&interval=1m',
    f.k.viewer,
  );
  assert.equal(interval.statusCode, 400);
  assert.match(interval.json().error.message, /^querystring\.interval/);
  const anon = await f.call('GET', '/api/v1/historical?symbol=MES&from=2000-01-01&to=2000-01-05');
  assert.equal(anon.statusCode, 401);
});

const bars = [1, 2, 3, 4, 5].map((c, i) => ({
  time: `2026-03-0${i + 2}`,
  high: c + 1,
  low: c - 1,
  close: String(c),
  volume: 10 * (i + 1),
}));

test('indicators over given bars match hand computations', async () => {
  const sma = await f.call('POST', '/api/v1/indicators', f.k.viewer, { indicator: 'sma', params: { period: 3 }, bars });
  assert.equal(sma.statusCode, 200, sma.body);
  assert.deepEqual(
    sma.json().series.map((p: { value: number | null }) => p.value),
    [null, null, 2, 3, 4],
  );
  assert.equal(sma.json().series[2].time, '2026-03-04T00:00:00.000Z');
  // EMA(3) seeded with the SMA: 2, then (4 − 2)·½ + 2 = 3, then (5 − 3)·½ + 3 = 4.
  const ema = await f.call('POST', '/api/v1/indicators', f.k.viewer, {
    indicator: 'ema',
    params: { period: 3, seed: 'sma' },
    bars,
  });
  assert.deepEqual(
    ema.json().series.map((p: { value: number | null }) => p.value),
    [null, null, 2, 3, 4],
  );
  // Bollinger(3, 2) on 1, 2, 3: middle 2, population σ = √(2/3).
  const bb = await f.call('POST', '/api/v1/indicators', f.k.viewer, {
    indicator: 'bb',
    params: { period: 3, k: 2 },
    bars,
  });
  const third = bb.json().series[2].value;
  assert.ok(near(third.middle, 2) && near(third.upper, 2 + 2 * Math.sqrt(2 / 3)), JSON.stringify(third));
  // VWAP over the whole series: typical price = close; Σ c·v / Σ v = (10+40+90+160+250)/150.
  const vwap = await f.call('POST', '/api/v1/indicators', f.k.viewer, {
    indicator: 'vwap',
    params: { anchor: 'none' },
    bars,
  });
  assert.ok(near(vwap.json().series[4].value, 550 / 150));
  const daily = await f.call('POST', '/api/v1/indicators', f.k.viewer, { indicator: 'vwap', bars });
  assert.ok(near(daily.json().series[4].value, 5), 'a daily-anchored VWAP of daily bars is the typical price');
  // RSI(2) of a series that only rises: no losses, so 100.
  const rsi = await f.call('POST', '/api/v1/indicators', f.k.viewer, { indicator: 'rsi', params: { period: 2 }, bars });
  assert.equal(rsi.json().series[2].value, 100);
  // Every bar's true range is high − low = 2, so ATR(2) is 2 from its first value.
  const atr = await f.call('POST', '/api/v1/indicators', f.k.viewer, { indicator: 'atr', params: { period: 2 }, bars });
  assert.deepEqual(
    atr.json().series.map((p: { value: number | null }) => p.value),
    [null, 2, 2, 2, 2],
  );
  const macd = await f.call('POST', '/api/v1/indicators', f.k.viewer, {
    indicator: 'macd',
    params: { fast: 2, slow: 3, signal: 2 },
    bars,
  });
  assert.equal(macd.statusCode, 200, macd.body);
  assert.equal(typeof macd.json().series[4].value.histogram, 'number');
});

test('indicators over historical bars; bad input is a 400 naming the field; no key is 401', async () => {
  const res = await f.call('POST', '/api/v1/indicators', f.k.viewer, {
    indicator: 'sma',
    params: { period: 2 },
    symbol: 'MES',
    from: '2000-01-03',
    to: '2000-01-05',
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().series.length, 3);
  assert.ok(near(res.json().series[1].value, (1455.219971 + 1399.420044) / 2));
  const cases: [unknown, RegExp][] = [
    [{ indicator: 'kama', bars }, /^body\.indicator/],
    [{ indicator: 'sma', params: { period: 0 }, bars }, /^body\.params\.period/],
    [{ indicator: 'sma', bars: [{ ...bars[0], close: 'x' }] }, /^body\.bars\.0\.close/],
    [{ indicator: 'sma', bars: [bars[1], bars[0]] }, /^body\.bars\.1\.time: not after/],
    [{ indicator: 'atr', bars: [{ time: 1, close: 1 }] }, /^body\.bars\.0\.high: required/],
    [{ indicator: 'sma', symbol: 'MES', from: '2000-01-03' }, /^body\.to: required/],
    [{ indicator: 'sma', bars, symbol: 'MES' }, /^body\.symbol: give either/],
    [{ indicator: 'sma' }, /^body\.bars: give bars or symbol/],
    [{ indicator: 'macd', params: { fast: 5, slow: 3 }, bars }, /fast period/],
    [{ indicator: 'macd', params: { period: 3 }, bars }, /^body\.params\.period: not a parameter of macd/],
  ];
  for (const [body, message] of cases) {
    const bad = await f.call('POST', '/api/v1/indicators', f.k.viewer, body);
    assert.equal(bad.statusCode, 400, JSON.stringify(body));
    assert.match(bad.json().error.message, message, JSON.stringify(body));
  }
  const nq = await f.call('POST', '/api/v1/indicators', f.k.viewer, {
    indicator: 'sma',
    symbol: 'NQ',
    from: '2000-01-03',
    to: '2000-01-05',
  });
  assert.equal(nq.statusCode, 404);
  const anon = await f.call('POST', '/api/v1/indicators', undefined, { indicator: 'sma', bars });
  assert.equal(anon.statusCode, 401);
});
