/**
 * Event lines sent to a journal worker by reference (`appendEventText`): each decoded chunk of the
 * file gets an id and travels once, with the first batch that refers to it; records then carry
 * (chunk id, start, end). Records arrive in order, so a worker only ever needs the newest chunks.
 */
export interface ChunkText {
  readonly id: number;
  readonly text: string;
}

export class ChunkRefs {
  private last: string | undefined;
  private id = 0;
  private pending: ChunkText[] = [];

  /** The id of `chunk`, queued for the next batch when it is new. */
  idOf(chunk: string): number {
    if (chunk !== this.last) {
      this.last = chunk;
      this.pending.push({ id: ++this.id, text: chunk });
    }
    return this.id;
  }

  /** The chunks the next batch must carry (and forgets them). */
  take(): ChunkText[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }
}

/** The receiving side (a journal worker): chunk texts by id, of which only the newest is kept. */
export class ChunkTexts {
  private readonly texts = new Map<number, string>();
  private newest = -1;

  add(chunks: readonly ChunkText[]): void {
    for (const c of chunks) this.texts.set(c.id, c.text);
  }

  /** The text at [start, end) of chunk `id` (an event line). */
  slice(id: number, start: number, end: number): string {
    return this.text(id).slice(start, end);
  }

  /** The text of chunk `id`. */
  text(id: number): string {
    if (id > this.newest) this.newest = id;
    return this.texts.get(id)!;
  }

  /** After a batch: records come in order, so only the newest chunk can be referenced again. */
  dropOlder(): void {
    for (const id of this.texts.keys()) if (id < this.newest) this.texts.delete(id);
  }
}
