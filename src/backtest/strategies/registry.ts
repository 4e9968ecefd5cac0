/**
 * Built-in strategies by name, and loading a strategy module from a file (`--strategy path.ts`):
 * the module's default export, or its named export `strategy`, must be a `StrategyDefinition`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../errors.ts';
import type { StrategyDefinition } from '../types.ts';
import { importFile } from './import-file.ts';
import { orb } from './orb.ts';
import { smaCross } from './sma-cross.ts';

export const BUILT_IN_STRATEGIES: Readonly<Record<string, StrategyDefinition>> = {
  [smaCross.name]: smaCross,
  [orb.name]: orb,
};

function isDefinition(x: unknown): x is StrategyDefinition {
  const d = x as StrategyDefinition | undefined;
  return (
    !!d &&
    typeof d === 'object' &&
    typeof d.name === 'string' &&
    typeof d.create === 'function' &&
    typeof d.params === 'object'
  );
}

/** A built-in name, or a path to a .ts/.js/.mjs module. */
export async function loadStrategy(nameOrPath: string): Promise<StrategyDefinition> {
  const builtIn = BUILT_IN_STRATEGIES[nameOrPath];
  if (builtIn) return builtIn;
  const looksLikeFile = /[\\/]|\.(ts|mts|js|mjs)$/.test(nameOrPath);
  if (!looksLikeFile)
    throw new AppError(
      'ERR_STRATEGY_UNKNOWN',
      `unknown strategy ${nameOrPath} (built-in: ${Object.keys(BUILT_IN_STRATEGIES).join(', ')}; or a path to a strategy module)`,
    );
  const path = resolve(nameOrPath);
  if (!existsSync(path)) throw new AppError('ERR_FILE_NOT_FOUND', `strategy file not found: ${path}`);
  const mod = (await importFile(path)) as { default?: unknown; strategy?: unknown };
  const def = isDefinition(mod.default) ? mod.default : isDefinition(mod.strategy) ? mod.strategy : undefined;
  if (!def)
    throw new AppError(
      'ERR_STRATEGY_UNKNOWN',
      `${path} exports no strategy: export default (or export const strategy) an object {name, description, params, create}`,
    );
  return def;
}
