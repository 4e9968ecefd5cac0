/** `npm run bench`: runs every benchmark and writes JSON results under bench/results/. */
import { main as replay } from './replay.ts';
import { main as decisions } from './decisions.ts';
import { openThreadedSqliteJournal } from '../src/store/sqlite/journal-thread.ts';

// Durable journal: synchronous=FULL (the default for live journals), group commit per 5000
// records, written by SqliteJournal on a worker thread (the engine thread keeps its core).
const r = await replay(async (file: string) => openThreadedSqliteJournal(file, { autoFlushEvery: 5000 }));
console.log(JSON.stringify(r, null, 2));
// A decision-heavy shadow stream, as a whole `riskgate replay` process against the JSON.parse floor.
console.log(JSON.stringify(await decisions(), null, 2));
