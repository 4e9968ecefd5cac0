import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InstrumentTable } from '../../domain/instrument.ts';
import { fromInt, parseFixed } from '../../domain/money.ts';
import * as M from './mapper.ts';
import type { OrderRequest } from '../broker.ts';

const table = new InstrumentTable();
const mnq: M.ContractInfo = {
  contractId: 'CON.F.US.MNQ.Z25',
  symbol: 'MNQ',
  tickSize: parseFixed('0.25'),
  tickValue: parseFixed('0.5'),
  active: true,
};
const req = (over: Partial<OrderRequest>): OrderRequest => ({
  account: 'A',
  clientOrderId: 'k1',
  symbol: 'MNQ',
  side: 'buy',
  qty: fromInt(2),
  type: 'limit',
  limitPrice: parseFixed('21500.25'),
  ...over,
});

describe('projectx mapper', () => {
  it('reads JSON prices through their decimal text, exactly', () => {
    assert.equal(M.fixedOfJson(5138.0), parseFixed('5138'));
    assert.equal(M.fixedOfJson(0.1), parseFixed('0.1'));
    assert.equal(M.fixedOfJson(1575.75), parseFixed('1575.75'));
    assert.throws(() => M.fixedOfJson(1e21), /not a plain decimal/);
  });

  it('writes Fixed prices into JSON digit for digit', () => {
    const body = M.jsonBody({
      a: M.JsonDecimal.of(parseFixed('21500.25')),
      b: 'x',
      c: M.JsonDecimal.of(parseFixed('-0.1')),
      d: null,
    });
    assert.equal(body, '{"a":21500.25,"b":"x","c":-0.1,"d":null}');
  });

  it('maps contracts to symbol roots through their names', () => {
    assert.equal(M.symbolOfContract({ id: 'CON.F.US.ENQ.U25', name: 'NQU5' }, table), 'NQ');
    assert.equal(M.symbolOfContract({ id: 'CON.F.US.MNQ.Z25', name: 'MNQZ5' }, table), 'MNQ');
    assert.equal(M.symbolOfContract({ id: 'CON.F.US.GMET.J25', name: 'MGCJ5' }, table), 'MGC');
    assert.equal(M.symbolOfContract({ id: 'CON.F.US.XYZ.H26', name: 'XYZ' }, table), 'XYZ');
    const c = M.contractInfo(
      { id: 'CON.F.US.EP.M25', name: 'ESM5', tickSize: 0.25, tickValue: 12.5, activeContract: true },
      table,
    );
    assert.equal(c.symbol, 'ES');
    assert.equal(M.pointValue(c), parseFixed('50'));
  });

  it('builds Order/place bodies with the published codes', () => {
    const limit = M.placeBody(req({}), 536, mnq);
    assert.equal(
      M.jsonBody(limit),
      '{"accountId":536,"contractId":"CON.F.US.MNQ.Z25","side":0,"size":2,"customTag":"k1","type":1,"limitPrice":21500.25}',
    );
    assert.equal(M.placeBody(req({ type: 'market', side: 'sell' }), 1, mnq)['type'], 2);
    assert.equal(M.placeBody(req({ type: 'market', side: 'sell' }), 1, mnq)['side'], 1);
    assert.equal(M.placeBody(req({ type: 'stop', stopPrice: parseFixed('21400') }), 1, mnq)['type'], 4);
    const trail = M.placeBody(req({ type: 'trailing_stop', side: 'sell', stopPrice: parseFixed('21490') }), 1, mnq);
    assert.equal(trail['type'], 5);
    assert.equal(M.jsonBody(trail['trailPrice']), '21490');
  });

  it('refuses what the venue cannot take', () => {
    assert.throws(() => M.placeBody(req({ limitPrice: parseFixed('21500.1') }), 1, mnq), /not on the MNQ tick/);
    assert.throws(() => M.placeBody(req({ qty: parseFixed('1.5') }), 1, mnq), /whole contracts/);
    assert.throws(() => M.placeBody(req({ type: 'stop_limit', stopPrice: parseFixed('1') }), 1, mnq), /not supported/);
    assert.throws(() => M.placeBody(req({ type: 'trailing_stop' }), 1, mnq), /stopPrice/);
    assert.throws(
      () => M.placeBody(req({ type: 'market', bracket: { stopLoss: parseFixed('1') } }), 1, mnq),
      /limit or stop entry/,
    );
    assert.throws(
      () => M.placeBody(req({ bracket: { takeProfit: parseFixed('21510.1') } }), 1, mnq),
      /take profit .* not on the MNQ tick/,
    );
  });

  it('sends a bracket as signed ticks from the entry price', () => {
    const body = M.placeBody(
      req({ bracket: { stopLoss: parseFixed('21490.25'), takeProfit: parseFixed('21520.25') } }),
      1,
      mnq,
    );
    assert.deepEqual(body['stopLossBracket'], { ticks: -40, type: 4 });
    assert.deepEqual(body['takeProfitBracket'], { ticks: 80, type: 1 });
    const short = M.placeBody(
      req({ side: 'sell', type: 'stop', stopPrice: parseFixed('100'), bracket: { stopLoss: parseFixed('101') } }),
      1,
      mnq,
    );
    assert.deepEqual(short['stopLossBracket'], { ticks: 4, type: 4 });
    assert.equal(short['takeProfitBracket'], undefined);
  });

  it('maps venue orders, trades and positions into the domain', () => {
    const o = M.toOrder(
      {
        id: 26970,
        accountId: 212,
        contractId: 'CON.F.US.EP.M25',
        creationTimestamp: '2025-04-21T19:45:52.105808+00:00',
        updateTimestamp: '2025-04-21T19:46:00+00:00',
        status: 2,
        type: 2,
        side: 1,
        size: 3,
        fillVolume: 3,
        filledPrice: 5138.25,
        customTag: 'k9',
      },
      'A',
      'ES',
    );
    assert.deepEqual(
      [o.orderId, o.status, o.side, o.type, o.qty, o.filledQty, o.avgFillPrice, o.clientOrderId],
      ['26970', 'filled', 'sell', 'market', fromInt(3), fromInt(3), parseFixed('5138.25'), 'k9'],
    );
    assert.equal(o.createdTs, Date.parse('2025-04-21T19:45:52.105Z'));
    assert.equal(
      M.toOrder(
        {
          id: 1,
          accountId: 1,
          contractId: 'c',
          creationTimestamp: '2025-01-01T00:00:00Z',
          status: 4,
          type: 1,
          side: 0,
          size: 1,
          limitPrice: 10,
        },
        'A',
        'ES',
      ).reason,
      'expired',
    );
    assert.equal(M.statusOf(8).status, 'working');
    const f = M.toFill(
      {
        id: 8604,
        accountId: 203,
        contractId: 'c',
        creationTimestamp: '2025-01-21T16:13:52.523293+00:00',
        price: 6065.25,
        profitAndLoss: 50,
        fees: 1.4,
        side: 1,
        size: 1,
        voided: false,
        orderId: 14328,
      },
      'A',
      'ES',
    );
    assert.deepEqual(
      [f.fillId, f.orderId, f.price, f.fee, f.side],
      ['8604', '14328', parseFixed('6065.25'), parseFixed('1.4'), 'sell'],
    );
    const p = M.toPosition(
      {
        id: 1,
        accountId: 1,
        contractId: 'c',
        creationTimestamp: '2025-01-01T00:00:00Z',
        type: 2,
        size: 2,
        averagePrice: 1575.75,
      },
      'A',
      'MGC',
    );
    assert.equal(p.qty, -fromInt(2));
    assert.throws(() => M.orderTypeOf(99), /unknown order type/);
  });

  it('recognises a reused client key with the same or a different order', () => {
    const o = M.toOrder(
      {
        id: 1,
        accountId: 1,
        contractId: 'c',
        creationTimestamp: '2025-01-01T00:00:00Z',
        status: 1,
        type: 1,
        side: 0,
        size: 2,
        limitPrice: 21500.25,
        customTag: 'k1',
      },
      'A',
      'MNQ',
    );
    assert.equal(M.sameOrder(req({}), o), true);
    assert.equal(M.sameOrder(req({ qty: fromInt(3) }), o), false);
    assert.equal(M.sameOrder(req({ limitPrice: parseFixed('21500') }), o), false);
  });
});
