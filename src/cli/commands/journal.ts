/**
 * `riskgate journal verify <journal.db>` (DESIGN §5): checks the hash chain of an SQLite journal.
 * Exit 0 `ok: N records, head <hash>`; exit 1 `tampered: first bad record seq=N (<reason>)`;
 * exit 2 when the file is missing or is not a riskgate journal.
 */
import { Option, type Command } from 'commander';
import { AppError, isAppError } from '../../errors.ts';

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
  journal
    .command('export')
    .description(
      'Audit export of a date range: records with their chain hashes, the anchor and the head (NDJSON or CSV)',
    )
    .argument('<journal.db>', 'SQLite journal file (<data dir>/journal.db)')
    .requiredOption('--from <date>', 'first UTC date (YYYY-MM-DD) or ISO time, inclusive')
    .requiredOption('--to <date>', 'last UTC date (YYYY-MM-DD, inclusive) or ISO time (exclusive)')
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'csv']).default('ndjson'))
    .option('--out <file>', 'write there instead of stdout')
    .action(async (file: string, opts: { from: string; to: string; format: 'ndjson' | 'csv'; out?: string }) => {
      const { exportJournal } = await import('../../store/sqlite/export.ts');
      const range = { from: rangeTime(opts.from, '--from', false), to: rangeTime(opts.to, '--to', true) };
      if (range.from >= range.to) throw new AppError('ERR_INPUT_INVALID', '--to: must be after --from');
      const { openSync, writeSync, closeSync } = await import('node:fs');
      const fd = opts.out ? openSync(opts.out, 'w') : 1;
      try {
        const n = exportJournal(file, range, opts.format, (text) => void writeSync(fd, text));
        process.stderr.write(`exported ${n} record(s) from ${range.from} to ${range.to}\n`);
      } finally {
        if (opts.out) closeSync(fd);
      }
    });
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A date is its UTC midnight (`--to` a date: the midnight after it, so the date is included). */
function rangeTime(text: string, flag: string, endOfDate: boolean): string {
  const t = DATE_RE.test(text) ? Date.parse(`${text}T00:00:00.000Z`) + (endOfDate ? 86_400_000 : 0) : Date.parse(text);
  if (!Number.isFinite(t))
    throw new AppError('ERR_INPUT_INVALID', `${flag}: a date YYYY-MM-DD or an ISO time, got ${JSON.stringify(text)}`);
  return new Date(t).toISOString();
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
