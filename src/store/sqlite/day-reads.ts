/**
 * Reads of a journal file for reports (issue 18), on a read-only connection of its own: the events
 * of a time range and what an account carried into it, without parsing the rest of a long
 * history. Record times never go backwards along `seq` (the journal refuses it), so the first
 * record at or after a time is found by binary search on the primary key.
 */
import Database from 'better-sqlite3';
import { AppError } from '../../errors.ts';

type Body = Record<string, unknown>;

export interface DayEvents {
  /** The account's events before `from` (orders and fills: its positions carried in), oldest first. */
  readonly history: Body[];
  /** The last quote before `from` of each symbol asked for. */
  readonly carriedQuotes: Body[];
  /** Every event in [from, to), oldest first. */
  readonly day: Body[];
}

export class JournalDayReader {
  private readonly db: Database.Database;

  constructor(file: string) {
    try {
      this.db = new Database(file, { readonly: true, fileMustExist: true });
    } catch (err) {
      throw new AppError('ERR_JOURNAL_IO', `${file}: ${(err as Error).message}`);
    }
  }

  close(): void {
    this.db.close();
  }

  /** The first seq whose ts ≥ `ts` (one past the last record when none). */
  seqAt(ts: string): number {
    const max = (this.db.prepare('SELECT max(seq) FROM journal').pluck().get() as number | null) ?? 0;
    const tsOf = this.db.prepare('SELECT ts FROM journal WHERE seq = ?').pluck();
    let lo = 1;
    let hi = max + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if ((tsOf.get(mid) as string) < ts) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The account's event history before `from`, then its symbols' last quotes, then the range's events. */
  read(account: string, from: string, to: string, symbolsOf: (history: Body[]) => string[]): DayEvents {
    const a = this.seqAt(from);
    const b = this.seqAt(to);
    const parse = (rows: unknown[]) => (rows as string[]).map((t) => JSON.parse(t) as Body);
    const history = parse(
      this.db
        .prepare("SELECT body FROM journal WHERE seq < ? AND kind = 'event' AND account = ? ORDER BY seq")
        .pluck()
        .all(a, account),
    );
    const lastQuote = this.db
      .prepare(
        "SELECT body FROM journal WHERE seq < ? AND kind = 'event' AND account IS NULL AND body LIKE '%\"quote\"%' AND body LIKE ? ESCAPE '\\' ORDER BY seq DESC LIMIT 1",
      )
      .pluck();
    const carriedQuotes: Body[] = [];
    for (const symbol of symbolsOf(history)) {
      const like = `%"symbol":${JSON.stringify(symbol).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const row = lastQuote.get(a, like) as string | undefined;
      if (row) carriedQuotes.push(JSON.parse(row) as Body);
    }
    const day = parse(
      this.db
        .prepare("SELECT body FROM journal WHERE seq >= ? AND seq < ? AND kind = 'event' ORDER BY seq")
        .pluck()
        .all(a, b),
    );
    return { history, carriedQuotes, day };
  }

  /** Times of the account's events, oldest first (trading days are labelled by the caller). */
  eventTimes(account: string): string[] {
    return this.db
      .prepare("SELECT ts FROM journal WHERE kind = 'event' AND account = ? ORDER BY seq")
      .pluck()
      .all(account) as string[];
  }
}
