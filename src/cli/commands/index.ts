import type { Command } from 'commander';
import { register as registerJournal } from './journal.ts';

/** One line per command module. */
export function registerCommands(program: Command): void {
  void program;
  registerJournal(program);
}
