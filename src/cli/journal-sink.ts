/** Opens the SQLite journal for `replay --journal <file.db>` (a new file: a replay's journal). */
import { existsSync } from 'node:fs';
import { AppError } from '../errors.ts';
import { openSqliteJournal, type SqliteJournal } from '../store/sqlite/journal.ts';

export function openReplayJournal(path: string): SqliteJournal {
  if (existsSync(path)) throw new AppError('ERR_JOURNAL_IO', `${path} already exists: a replay writes a new journal (remove it or choose another path)`);
  // A replay journal can be regenerated from its input: NORMAL sync is enough (still kill -9 safe).
  return openSqliteJournal(path, { synchronous: 'NORMAL', autoFlushEvery: 5000 });
}
