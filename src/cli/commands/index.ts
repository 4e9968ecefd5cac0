import type { Command } from 'commander';
import { register as config } from './config.ts';
import { register as replay } from './replay.ts';
import { register as start } from './start.ts';

/** One line per command module. */
export function registerCommands(program: Command): void {
  config(program);
  replay(program);
  start(program);
}
