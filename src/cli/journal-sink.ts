/** Opens the journal sink for `--journal <file.db>` (SQLite store). */
import { AppError } from '../errors.ts';
import type { JournalSink } from '../engine/hash-chain.ts';

export async function openJournalSink(path: string): Promise<JournalSink> {
  throw new AppError('ERR_JOURNAL_IO', `journal store not available yet: ${path}`);
}
