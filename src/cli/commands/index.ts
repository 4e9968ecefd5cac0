import type { Command } from 'commander';
import { register as registerDbn } from './dbn.ts';

/** One line per command module. */
export function registerCommands(program: Command): void {
  void program;
  registerDbn(program);
}
