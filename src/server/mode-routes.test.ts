/**
 * The store's execution mode on the account reads: `mode` on GET /accounts items and on
 * GET /accounts/:id/risk (WebSocket risk frames carry the same view), documented in the OpenAPI schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from './test-fixture.ts';

for (const mode of ['shadow', 'enforce'] as const) {
  test(`a ${mode} store says so on the account list and the risk view, every other field kept`, async () => {
    const f = await fixture({ mode });
    try {
      const list = (await f.call('GET', '/api/v1/accounts', f.k.trader)).json() as {
        accounts: { account: string; mode: string; state: string; netRealizedPnl: string }[];
      };
      assert.deepEqual(
        list.accounts.map((a) => [a.account, a.mode, a.state]),
        [['A1', mode, 'ACTIVE']],
      );
      assert.match(list.accounts[0]!.netRealizedPnl, /^-?\d+(\.\d+)?$/);
      const res = await f.call('GET', '/api/v1/accounts/A1/risk', f.k.viewer);
      assert.equal(res.statusCode, 200);
      const risk = res.json() as Record<string, unknown>;
      assert.equal(risk.mode, mode);
      assert.equal(f.node.queries.risk('A1')?.mode, mode, 'the view the WebSocket sends');
      // The response schema documents fields; it must not strip the others.
      for (const field of ['distances', 'locks', 'positions', 'day', 'lossRoom', 'stateReasons', 'tradingDay'])
        assert.ok(field in risk, field);
    } finally {
      await f.close();
    }
  });
}

test('the OpenAPI document describes mode on both reads', async () => {
  const f = await fixture();
  try {
    const doc = (await f.call('GET', '/docs/json')).json() as {
      paths: Record<string, { get: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }>;
    };
    const schemaOf = (p: string) =>
      JSON.stringify(doc.paths[p]?.get.responses['200']?.content['application/json']?.schema);
    for (const p of ['/api/v1/accounts', '/api/v1/accounts/{id}/risk'])
      assert.match(schemaOf(p), /"mode":\{"type":"string","enum":\["shadow","enforce"\]/, p);
  } finally {
    await f.close();
  }
});
