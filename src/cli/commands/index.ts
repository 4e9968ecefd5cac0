import type { Command } from 'commander';

/** One line per command module. */
export function registerCommands(program: Command): void {
  void program;
}
