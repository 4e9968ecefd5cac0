// The JSON.parse floor of bench/decisions.ts: reads an NDJSON file with readline and parses every
// line, nothing else. Plain JavaScript, so the process starts as fast as node can.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

let lines = 0;
for await (const line of createInterface({ input: createReadStream(process.argv[2]), crlfDelay: Infinity })) {
  if (line.length === 0) continue;
  JSON.parse(line);
  lines++;
}
process.stdout.write(`${lines}\n`);
