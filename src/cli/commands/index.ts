import type { Command } from 'commander';
import { register as registerBacktest } from './backtest.ts';

/** One line per command module. */
export function registerCommands(program: Command): void {
  registerBacktest(program);
}
