/**
 * The `riskgate` command. Each subcommand lives in `commands/<name>.ts` and registers itself
 * on the program; adding a command = one file + one line here.
 */
import { Command } from 'commander';
import { isAppError } from '../errors.ts';
import { registerCommands } from './commands/index.ts';

const program = new Command();
program.name('riskgate').description('Trading risk gateway: positions, P&L, risk rules, enforcement, journal.');
program.version('0.1.0');
registerCommands(program);

/** A Node system error (EISDIR, EACCES, ENOSPC, …): an operational failure, not a bug. */
function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | undefined;
  return e instanceof Error && typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === 'string';
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (isAppError(err)) {
    process.stderr.write(`riskgate: ${err.code}: ${err.message}\n`);
  } else if (isSystemError(err)) {
    // A file system failure no command foresaw: still one line, naming the path when Node does.
    process.stderr.write(`riskgate: ERR_FILE_IO: ${err.message}\n`);
  } else {
    process.stderr.write(`riskgate: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
}
