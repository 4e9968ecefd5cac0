/**
 * `riskgate journal verify <journal.db>` (DESIGN §5): checks the hash chain of an SQLite journal.
 * Exit 0 `ok: N records, head <hash>`; exit 1 `tampered: first bad record seq=N (<reason>)`;
 * exit 2 when the file is missing or is not a riskgate journal.
 */
import type { Command } from 'commander';
import { isAppError } from '../../errors.ts';

export function register(program: Command): void {
  const journal = program.command('journal').description('inspect the tamper-evident journal');
  journal
    .command('verify')
    .description('recompute the hash chain; exit 1 naming the first bad record if tampered')
    .argument('<journal.db>', 'SQLite journal file')
    // A missing path exits 2 ("no journal"), never 1, which scripts read as "tampered"; commander
    // has already printed its error line.
    .exitOverride((err) => process.exit(err.code === 'commander.missingArgument' ? 2 : err.exitCode))
    .action(async (file: string) => {
      process.exitCode = await runVerify(file);
    });
}

/** Returns the exit code; output goes to stdout (result) or stderr (unusable file). */
export async function runVerify(file: string): Promise<number> {
  const { verifyJournal } = await import('../../store/sqlite/verify.ts');
  let result;
  try {
    result = verifyJournal(file);
  } catch (err) {
    if (isAppError(err) && (err.code === 'ERR_FILE_NOT_FOUND' || err.code === 'ERR_JOURNAL_NOT_A_JOURNAL')) {
      process.stderr.write(`riskgate: ${err.code}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  if (result.ok) {
    process.stdout.write(`ok: ${result.records} records, head ${result.head.hash}\n`);
    return 0;
  }
  const what = result.target === 'record' ? 'first bad record' : 'bad snapshot';
  process.stdout.write(`tampered: ${what} seq=${result.seq} (${result.reason}: ${result.detail})\n`);
  return 1;
}
