/**
 * `riskgate backtest --strategy <file>` with strategy files outside the repository (issue 13.5):
 * TypeScript compiled as CommonJS (no package.json above it), one importing a helper beside it,
 * one .mts and one plain .mjs, all loaded by the command as a user runs it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { riskgate } from '../fixtures/cli.ts';

/** A strategy buying `qty` on the first bar, written in TypeScript (annotations make tsx necessary). */
const strategy = (name: string, qtyExpr: string, imports = '') => `${imports}
interface Ctx { index: number; buy(qty: number): void }
const definition = {
  name: '${name}',
  description: 'buys once',
  params: { qty: { default: '1', description: 'units' } },
  create(params: Record<string, string>) {
    return { onBar(_bar: unknown, ctx: Ctx): void { if (ctx.index === 0) ctx.buy(${qtyExpr}); } };
  },
};
export default definition;
`;

let dir: string;
before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'rg-strategy-'));
  writeFileSync(path.join(dir, 'plain.ts'), strategy('plain', 'Number(params.qty)'));
  mkdirSync(path.join(dir, 'lib'));
  writeFileSync(path.join(dir, 'lib', 'sizing.ts'), 'export const sized = (qty: number): number => qty * 3;\n');
  writeFileSync(
    path.join(dir, 'with-helper.ts'),
    strategy('with-helper', 'sized(Number(params.qty))', "import { sized } from './lib/sizing.ts';"),
  );
  writeFileSync(path.join(dir, 'module.mts'), strategy('module', 'Number(params.qty) + 1'));
  writeFileSync(
    path.join(dir, 'named.mjs'),
    "export const strategy = { name: 'named', description: 'js', params: {}, create() { return { onBar(_b, ctx) { if (ctx.index === 0) ctx.buy(5); } }; } };\n",
  );
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function boughtQty(file: string, qty: string): Promise<number> {
  const r = await riskgate([
    'backtest',
    '--strategy',
    path.join(dir, file),
    '--param',
    `qty=${qty}`,
    '--report',
    'json',
    '--no-progress',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { trades: { qty: number }[] };
  assert.equal(report.trades.length, 1);
  return report.trades[0]!.qty;
}

describe('backtest --strategy with a file outside the repository', () => {
  it('loads a TypeScript strategy from a temp dir', async () => {
    assert.equal(await boughtQty('plain.ts', '2'), 2);
  });
  it('loads one importing a relative helper module beside it', async () => {
    assert.equal(await boughtQty('with-helper.ts', '2'), 6);
  });
  it('loads an .mts strategy and a JavaScript one exporting `strategy`', async () => {
    assert.equal(await boughtQty('module.mts', '2'), 3);
    const r = await riskgate([
      'backtest',
      '--strategy',
      path.join(dir, 'named.mjs'),
      '--report',
      'json',
      '--no-progress',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { trades: { qty: number }[] }).trades[0]!.qty, 5);
  });
});
