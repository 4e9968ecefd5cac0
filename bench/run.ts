/** `npm run bench`: runs every benchmark and writes JSON results under bench/results/. */
import { main as replay } from './replay.ts';
import { openSqliteJournal } from '../src/store/sqlite/journal.ts';

// Durable journal: synchronous=FULL (the default for live journals), group commit per 5000 records.
const r = await replay(async (file: string) => openSqliteJournal(file, { autoFlushEvery: 5000 }));
console.log(JSON.stringify(r, null, 2));
