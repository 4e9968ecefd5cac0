import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../errors.ts';
import { gridSets, parseParamAxes, parseParamAxis, randomSets } from './param-space.ts';

const researchError = (flag: string) => (e: unknown) =>
  e instanceof AppError && e.code === 'ERR_RESEARCH_INPUT' && e.message.startsWith(flag);

test('a range a..b:step lists its values as exact decimal strings, end included when on the grid', () => {
  assert.deepEqual(parseParamAxis('period=5..20:5'), { key: 'period', values: ['5', '10', '15', '20'] });
  assert.deepEqual(parseParamAxis('stop=0.1..0.5:0.2').values, ['0.1', '0.3', '0.5']);
  // 0.1 steps in binary floating point would drift (0.30000000000000004): exact here.
  assert.deepEqual(parseParamAxis('x=0..0.3:0.1').values, ['0', '0.1', '0.2', '0.3']);
  assert.deepEqual(parseParamAxis('period=3..5').values, ['3', '4', '5']);
  assert.deepEqual(parseParamAxis('period=7..10:2').values, ['7', '9']);
  assert.deepEqual(parseParamAxis('mode=true,false').values, ['true', 'false']);
  assert.deepEqual(parseParamAxis('period=30').values, ['30']);
});

test('bad ranges are ERR_RESEARCH_INPUT naming the --param', () => {
  assert.throws(() => parseParamAxis('period=20..5:5'), researchError('--param period=20..5:5: empty range'));
  assert.throws(() => parseParamAxis('period=5..20:0'), researchError('--param period=5..20:0: step must be positive'));
  assert.throws(() => parseParamAxis('period=5..x:1'), researchError('--param period=5..x:1: end is not a decimal'));
  assert.throws(() => parseParamAxis('period'), researchError('--param period: expected key=a..b:step'));
  assert.throws(() => parseParamAxis('x=0..10000000:1'), researchError('--param x=0..10000000:1'));
  assert.throws(() => parseParamAxes(['a=1..2', 'a=3']), researchError('--param a: given twice'));
  assert.throws(() => parseParamAxes([]), researchError('--param'));
  assert.throws(() => parseParamAxes(['a=1..1000', 'b=1..1001']), researchError('--param: 1001000 parameter sets'));
});

test('the grid is the cartesian product with the first --param outermost, keys in --param order', () => {
  const sets = gridSets(parseParamAxes(['period=10..30:10', 'stop=0,5']));
  assert.deepEqual(sets, [
    { period: '10', stop: '0' },
    { period: '10', stop: '5' },
    { period: '20', stop: '0' },
    { period: '20', stop: '5' },
    { period: '30', stop: '0' },
    { period: '30', stop: '5' },
  ]);
  assert.deepEqual(Object.keys(sets[0]!), ['period', 'stop']);
});

test('random sets: distinct grid points, the same for a seed, others for another seed', () => {
  const axes = parseParamAxes(['a=1..20', 'b=1..20']);
  const grid = new Set(gridSets(axes).map((s) => JSON.stringify(s)));
  const first = randomSets(axes, 50, 7);
  assert.equal(first.length, 50);
  assert.equal(new Set(first.map((s) => JSON.stringify(s))).size, 50, 'no set twice');
  for (const s of first) assert.ok(grid.has(JSON.stringify(s)), JSON.stringify(s));
  assert.deepEqual(randomSets(axes, 50, 7), first);
  assert.notDeepEqual(randomSets(axes, 50, 8), first);
  // All of a small grid: every point exactly once.
  assert.equal(new Set(randomSets(axes, 400, 3).map((s) => JSON.stringify(s))).size, 400);
  assert.throws(() => randomSets(axes, 401, 1), researchError('--random: 401 sets asked, the ranges hold only 400'));
  assert.throws(() => randomSets(axes, 0, 1), researchError('--random'));
});

test('random sets spread over the whole range (a seeded generator, not the first points)', () => {
  const axes = parseParamAxes(['period=1..1000']);
  const values = randomSets(axes, 200, 42).map((s) => Number(s.period));
  const high = values.filter((v) => v > 500).length;
  assert.ok(high > 60 && high < 140, `${high} of 200 above the middle`);
});
