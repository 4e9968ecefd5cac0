import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { recordOf } from './user-hub.ts';
import * as S from './schemas.ts';

const trade = {
  id: 501,
  accountId: 7001,
  contractId: 'CON.F.US.MNQ.Z25',
  creationTimestamp: '2025-12-01T15:00:00Z',
  price: 100.25,
  profitAndLoss: null,
  fees: 0.37,
  side: 0,
  size: 1,
  voided: false,
  orderId: 9000,
};

describe('user hub records', () => {
  it('reads a bare record and one wrapped as { action, data }', () => {
    assert.equal(recordOf(S.trade, trade)?.id, 501);
    assert.equal(recordOf(S.trade, { action: 1, data: trade })?.id, 501);
  });

  it('drops a record that does not match its schema', () => {
    assert.equal(recordOf(S.trade, { ...trade, price: '100.25' }), undefined);
    assert.equal(recordOf(S.trade, { action: 1, data: null }), undefined);
    assert.equal(recordOf(S.trade, null), undefined);
  });
});
