/** Opening the store of a data dir that must already exist (commands that read or change it). */
import { existsSync } from 'node:fs';
import { AppError } from '../errors.ts';
import { journalPath, PersistentEngine } from '../node/persistent-engine.ts';

/** Read-only: no data-dir lock, so it works beside a running node (`report`). */
export function openExistingStore(dataDir: string): PersistentEngine {
  if (!existsSync(journalPath(dataDir)))
    throw new AppError('ERR_FILE_NOT_FOUND', `no riskgate store in ${dataDir} (expected ${journalPath(dataDir)})`);
  return PersistentEngine.open(dataDir, { readOnly: true });
}
