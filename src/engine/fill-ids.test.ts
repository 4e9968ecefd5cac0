/** Duplicate fills (DESIGN §4): a fillId an account booked already is never booked again. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { scenario, ev } from '../../test/fixtures/scenario.ts';
import { configSchema } from '../config/schema.ts';
import { parseEvent } from '../domain/events.ts';
import { createEngine } from './factory.ts';
import { FillIds } from './fill-ids.ts';
import { restoreEngine, snapshotEngine, stateHash } from './snapshot.ts';

const T = (hhmm: string, day = '07') => `2026-04-${day}T${hhmm}:00.000Z`;
const fill = (ts: string, fillId: string, side: 'buy' | 'sell', account = 'A') => ({
  ts,
  type: 'fill',
  account,
  orderId: `o-${fillId}`,
  fillId,
  symbol: 'MNQ',
  side,
  qty: 1,
  price: '18000',
});

describe('FillIds', () => {
  it('books an id once, and keeps the current and the previous trading day', () => {
    const ids = new FillIds();
    assert.equal(ids.book('f1'), true);
    assert.equal(ids.book('f1'), false);
    ids.rotate();
    assert.equal(ids.book('f1'), false, 'the previous day is still known');
    assert.equal(ids.book('f2'), true);
    ids.rotate();
    assert.equal(ids.size, 1, 'f1 is two days old: forgotten');
    assert.equal(ids.book('f2'), false);
    assert.equal(ids.book('f1'), true);
  });

  it('round-trips through its JSON form, days kept apart', () => {
    const ids = new FillIds();
    ids.book('a');
    ids.rotate();
    ids.book('b');
    const json = JSON.parse(JSON.stringify(ids)) as ReturnType<FillIds['toJSON']>;
    assert.deepEqual(json, { previous: ['a'], today: ['b'] });
    const back = new FillIds();
    back.load(json);
    assert.deepEqual(back.toJSON(), json);
    back.rotate();
    assert.deepEqual(back.toJSON(), { previous: ['b'], today: [] });
  });
});

describe('duplicate fills in the engine', () => {
  it('a resent fill is not booked twice (position −1, not +1) and is counted', () => {
    const s = scenario('risk: { rules: {} }');
    s.feed(
      ev.quote(T('14:00'), 'MNQ', '18000'),
      fill(T('14:01'), 'f1', 'buy'),
      fill(T('14:02'), 'f2', 'sell'),
      fill(T('14:03'), 'f2', 'sell'),
      fill(T('14:04'), 'f2', 'sell'),
    );
    const r = s.report().accounts.A!;
    assert.deepEqual(r.positions, {});
    assert.equal(r.days['2026-04-07']!.fills, 2);
    assert.equal(s.engine.duplicateFills, 2);
  });

  it('fill ids are per account, and fills without a fillId are never duplicates', () => {
    const s = scenario('risk: { rules: {} }');
    const { fillId: _none, ...noId } = fill(T('14:01'), 'x', 'buy');
    s.feed(fill(T('14:01'), 'f1', 'buy', 'A'), fill(T('14:01'), 'f1', 'buy', 'B'), noId, noId);
    assert.equal(s.report().accounts.A!.positions.MNQ?.qty, 3);
    assert.equal(s.report().accounts.B!.positions.MNQ?.qty, 1);
    assert.equal(s.engine.duplicateFills, 0);
  });

  it('a fill resent the next trading day is still a duplicate; two days later it is a new fill', () => {
    const s = scenario('risk: { rules: {} }'); // CME days: reset 22:00Z in April
    s.feed(fill(T('14:00'), 'f1', 'buy'), fill(T('14:00', '08'), 'f1', 'buy'));
    assert.equal(s.engine.duplicateFills, 1);
    s.feed(fill(T('14:00', '09'), 'f1', 'buy'));
    assert.equal(s.engine.duplicateFills, 1);
    assert.equal(s.report().accounts.A!.positions.MNQ?.qty, 2);
  });

  it('an engine restored from a snapshot still knows the fills booked before it', () => {
    const config = configSchema.parse({ risk: { rules: { 'RULE-001': { limit: 5 } } } });
    const engine = createEngine(config);
    for (const raw of [fill(T('14:00'), 'f0', 'buy'), fill(T('23:00'), 'f1', 'buy'), fill(T('23:01'), 'f2', 'buy')])
      engine.process(parseEvent(raw));
    const restored = createEngine(config);
    restoreEngine(restored, JSON.parse(JSON.stringify(snapshotEngine(engine))) as Record<string, unknown>);
    assert.equal(stateHash(restored), stateHash(engine));
    for (const e of [engine, restored]) {
      e.process(parseEvent(fill(T('23:05'), 'f0', 'buy')));
      e.process(parseEvent(fill(T('23:06'), 'f2', 'buy')));
      assert.equal(e.duplicateFills, 2);
      assert.equal(e.accounts.get('A')!.state.positions.get('MNQ')!.qty, 3_000_000_000_000_000_000n);
    }
    assert.equal(stateHash(restored), stateHash(engine));
  });
});
