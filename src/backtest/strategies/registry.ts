/**
 * Built-in strategies by name, and loading a strategy module from a file (`--strategy path.ts`):
 * the module's default export, or its named export `strategy`, must be a `StrategyDefinition`.
 */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { AppError } from '../../errors.ts';
import { isoOf } from '../../domain/events.ts';
import type { Strategy, StrategyDefinition } from '../types.ts';
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
  if (statSync(path).isDirectory())
    throw new AppError('ERR_STRATEGY_LOAD', `strategy ${path} is a directory, not a module file`);
  let mod: { default?: unknown; strategy?: unknown };
  try {
    mod = (await importFile(path)) as typeof mod;
  } catch (err) {
    throw new AppError('ERR_STRATEGY_LOAD', `strategy ${path} could not be loaded: ${errorText(err, path)}`);
  }
  const def = isDefinition(mod.default) ? mod.default : isDefinition(mod.strategy) ? mod.strategy : undefined;
  if (!def)
    throw new AppError(
      'ERR_STRATEGY_UNKNOWN',
      `${path} exports no strategy: export default (or export const strategy) an object {name, description, params, create}`,
    );
  return guarded(def, path);
}

/**
 * The error of a strategy module as one line: its first meaningful message line (a syntax error
 * names file, line and column there) and, for a throw, where in the file it came from.
 */
export function errorText(err: unknown, path: string): string {
  if (!(err instanceof Error)) return String(err);
  const lines = err.message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^Transform failed with \d+ error/.test(l));
  const text = `${err.name === 'Error' ? '' : `${err.name}: `}${lines[0] ?? err.message}`;
  const at = err.stack
    ?.split('\n')
    .find((l) => l.includes(path))
    ?.match(/:(\d+):(\d+)\)?$/);
  return at && !text.includes(path) ? `${text} (at line ${at[1]}, column ${at[2]})` : text;
}

/**
 * A file strategy whose throws (in `create`, `onBar`, `onQuote`) become ERR_STRATEGY_FAILED naming
 * the file and the bar; riskgate's own errors (a bad order) pass unchanged.
 */
function guarded(def: StrategyDefinition, path: string): StrategyDefinition {
  const fail = (err: unknown, when: string): unknown =>
    err instanceof AppError
      ? err
      : new AppError('ERR_STRATEGY_FAILED', `strategy ${path} threw ${when}: ${errorText(err, path)}`);
  return {
    ...def,
    create(params) {
      let strategy: Strategy;
      try {
        strategy = def.create(params);
      } catch (err) {
        throw fail(err, 'in create()');
      }
      const onQuote = strategy.onQuote;
      return {
        onBar(bar, ctx) {
          try {
            strategy.onBar(bar, ctx);
          } catch (err) {
            throw fail(err, `at bar ${ctx.index + 1} (${isoOf(bar.ts)})`);
          }
        },
        ...(onQuote === undefined
          ? {}
          : {
              onQuote(q, ctx) {
                try {
                  onQuote.call(strategy, q, ctx);
                } catch (err) {
                  throw fail(err, `at quote ${ctx.index + 1} (${isoOf(q.ts)})`);
                }
              },
            }),
      };
    },
  };
}
