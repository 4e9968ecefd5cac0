/** `npm run bench`: runs every benchmark and writes JSON results under bench/results/. */
import { main as replay } from './replay.ts';
import { openJournalSink } from '../src/cli/journal-sink.ts';

const journalFactory = async (file: string) => openJournalSink(file);
let hasJournal = true;
try {
  await journalFactory('/nonexistent/probe.db');
} catch (e) {
  hasJournal = !String(e).includes('not available yet');
}
const r = await replay(hasJournal ? journalFactory : undefined);
console.log(JSON.stringify(r, null, 2));
