import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OffThreadChain } from './chain-thread.ts';
import { MemoryChain } from './memory-chain.ts';
import type { JournalEntry } from './journal.ts';

function entries(n: number): JournalEntry[] {
  const out: JournalEntry[] = [];
  for (let i = 0; i < n; i++) {
    const ts = new Date(Date.UTC(2026, 2, 2, 14, 0, 0, i)).toISOString();
    if (i % 3 === 0)
      out.push({ ts, kind: 'decision', account: 'A1', body: { rule: 'RULE-003', n: i, text: 'é ü 😀' } });
    else if (i % 3 === 1)
      out.push({
        ts,
        kind: 'event',
        body: { type: 'quote' },
        bodyJson: `{"ts":"${ts}","type":"quote","symbol":"MNQ","last":"${18000 + i}"}`,
      });
    else
      out.push({
        ts,
        kind: 'event',
        account: `A${i % 5}`,
        body: { type: 'fill' },
        bodyJson: `{ "type": "fill", "i": ${i} }`,
      });
  }
  return out;
}

test('OffThreadChain: same head as MemoryChain, across several batches and flushes', async () => {
  const all = entries(9000);
  const mem = new MemoryChain();
  const off = new OffThreadChain();
  try {
    for (const e of all.slice(0, 10)) {
      mem.append(e);
      off.append(e);
    }
    assert.deepEqual(await off.flush(), mem.head());
    for (const e of all.slice(10)) {
      mem.append(e);
      off.append(e);
    }
    assert.notDeepEqual(off.head(), mem.head(), 'head() is the head as of the last flush');
    assert.deepEqual(await off.flush(), mem.head());
    assert.deepEqual(off.head(), { seq: 9000, hash: mem.head().hash });
  } finally {
    await off.close();
  }
});

test('OffThreadChain: event lines given by their place in a chunk hash as the same records', async () => {
  const mem = new MemoryChain();
  const off = new OffThreadChain();
  const accounts = [undefined, 'A1', 'B "2"', 'Zürich-😀'];
  let t = Date.UTC(2026, 2, 2, 14, 0, 0, 0);
  try {
    // Chunks of different sizes (some longer than a 4096-record batch), lines of any text.
    for (const size of [3, 5000, 1, 9000, 200]) {
      const lines: string[] = [];
      // Every other line carries its ts, given by its place (tsAt) like the worker reader's events.
      for (let i = 0; i < size; i++)
        lines.push(
          i % 2 === 0
            ? `{"i":${i},"s":"é ${size}","x":"${'y'.repeat(i % 7)}"}`
            : `{"ts":"${new Date(t + Math.floor(i / 3) + 1).toISOString()}","i":${i}}`,
        );
      const chunk = lines.join('\n');
      let start = 0;
      for (let i = 0; i < size; i++) {
        const end = start + lines[i]!.length;
        if (i % 3 === 0) t += 1; // runs of records with the same time
        const account = accounts[i % accounts.length];
        mem.append({
          ts: new Date(t).toISOString(),
          kind: 'event',
          ...(account === undefined ? {} : { account }),
          body: undefined,
          bodyJson: chunk.slice(start, end),
        });
        off.appendEventText(t, account, chunk, start, end, i % 2 === 0 ? -1 : start + 7);
        if (i % 1000 === 7) {
          const d = { ts: new Date(t).toISOString(), kind: 'decision', account: 'A1', body: { rule: 'RULE-003', i } };
          mem.append(d);
          off.append(d);
        }
        start = end + 1;
      }
    }
    assert.deepEqual(await off.flush(), mem.head());
    assert.equal(mem.head().seq, 3 + 5000 + 1 + 9000 + 200 + 15); // + the decisions (i ≡ 7 mod 1000)
  } finally {
    await off.close();
  }
});

test('OffThreadChain: chunks the reader posts to its chunk port hash as the same records', async () => {
  const mem = new MemoryChain();
  const off = new OffThreadChain();
  const port = off.chunkPort();
  try {
    const chunks = [0, 1, 2, 3].map((c) =>
      Array.from({ length: 3000 }, (_, i) => `{"c":${c},"i":${i},"s":"é"}`).join('\n'),
    );
    let t = Date.UTC(2026, 2, 2, 14, 0, 0, 0);
    for (let c = 0; c < chunks.length; c++) {
      const chunk = chunks[c]!;
      port.postMessage({ id: c + 1, text: chunk }); // as the reader does, before the chunk's events
      // The text hashed is the one posted: this thread's copy is not shipped (here a decoy).
      const decoy = chunk.replaceAll('é', 'e');
      let start = 0;
      for (const line of chunk.split('\n')) {
        const end = start + line.length;
        t += 7;
        mem.append({ ts: new Date(t).toISOString(), kind: 'event', account: 'A1', body: undefined, bodyJson: line });
        off.appendEventText(t, 'A1', decoy, start, end, -1, c + 1);
        start = end + 1;
      }
    }
    assert.deepEqual(await off.flush(), mem.head());
  } finally {
    port.close();
    await off.close();
  }
});
