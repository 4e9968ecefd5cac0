/** Opens the SQLite journal for `replay --journal <file.db>` (a new file: a replay's journal). */
import { existsSync } from 'node:fs';
import { AppError } from '../errors.ts';
import { prepareOutputFile } from './files.ts';
import { openThreadedSqliteJournal, type ThreadedSqliteJournal } from '../store/sqlite/journal-thread.ts';

/**
 * The unchanged SqliteJournal, run on a worker thread (journal-thread.ts) so the engine thread
 * keeps its core: same rows, same head. `flush()` resolves once everything is committed.
 */
export async function openReplayJournal(path: string): Promise<ThreadedSqliteJournal> {
  if (existsSync(path))
    throw new AppError(
      'ERR_JOURNAL_IO',
      `${path} already exists: a replay writes a new journal (remove it or choose another path)`,
    );
  prepareOutputFile(path, '--journal file');
  // A replay journal can be regenerated from its input: NORMAL sync is enough (still kill -9 safe).
  return openThreadedSqliteJournal(path, { synchronous: 'NORMAL', autoFlushEvery: 5000 });
}
