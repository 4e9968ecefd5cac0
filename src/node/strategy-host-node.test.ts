import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { configSchema } from '../config/schema.ts';
import { parseFixed } from '../domain/money.ts';
import { isAppError } from '../errors.ts';
import { NodeBus } from './bus.ts';
import { silentLogger } from './logger.ts';
import type { NodeQueries } from './queries.ts';
import { markOf, StrategyHostRunner, type HostedNode } from './strategy-host-node.ts';

test('a quote mark is its last price, else the mid; none without either', () => {
  assert.equal(markOf({ last: '5000.25', bid: '1', ask: '2' }), parseFixed('5000.25'));
  assert.equal(markOf({ bid: '5000', ask: '5000.5' }), parseFixed('5000.25'));
  assert.equal(markOf({ bid: '5000' }), undefined);
});

const node: HostedNode = {
  bus: new NodeBus(),
  queries: {} as NodeQueries,
  log: silentLogger(),
  submitOrder: () => Promise.reject(new Error('not here')),
};

const config = (candidates: string, account = 'PAPER-1') =>
  configSchema.parse(parse(`strategies: { account: ${account}, symbol: ES, candidates: [${candidates}] }`));

test('the runner: none without a section; an unknown account or strategy names the key', async () => {
  assert.equal(await StrategyHostRunner.create(node, configSchema.parse({}), ['PAPER-1'], () => 0), undefined);
  const runner = await StrategyHostRunner.create(node, config('"sma-cross:period=5"'), ['PAPER-1'], () => 0);
  assert.equal(runner?.account, 'PAPER-1');
  await assert.rejects(
    StrategyHostRunner.create(node, config('orb', 'X'), ['PAPER-1'], () => 0),
    (e: unknown) => isAppError(e) && e.code === 'ERR_CONFIG_INVALID' && e.message.startsWith('strategies.account'),
  );
  await assert.rejects(
    StrategyHostRunner.create(node, config('no-such-strategy'), ['PAPER-1'], () => 0),
    (e: unknown) => isAppError(e) && e.code === 'ERR_STRATEGY_UNKNOWN' && e.message.startsWith('strategies.candidates'),
  );
});
