/**
 * `riskgate dbn dump <file.dbn[.zst]>` (DESIGN §5): one JSON line per record, byte-identical to
 * `dbn --json` (the format of shared/data/dbn/expected/*.jsonl); `--metadata` prints the header
 * as the expected `.metadata.json`. Streams, so it works on files larger than memory.
 */
import type { Command } from 'commander';
import { once } from 'node:events';
import { AppError } from '../../errors.ts';
import type { DbnVersion } from '../../adapters/databento/index.ts';
import { requireInputFile } from '../files.ts';

interface DumpOptions {
  metadata?: boolean;
  fragment?: boolean;
  dbnVersion?: string;
}

function parseVersion(text: string | undefined): DbnVersion | undefined {
  if (text === undefined) return undefined;
  if (text === '1' || text === '2' || text === '3') return Number(text) as DbnVersion;
  throw new AppError('ERR_INPUT_INVALID', `--dbn-version must be 1, 2 or 3, got ${JSON.stringify(text)}`);
}

async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

async function dump(file: string, options: DumpOptions): Promise<void> {
  const version = parseVersion(options.dbnVersion);
  const { DbnFileReader } = await import('../../adapters/databento/index.ts');
  requireInputFile(file, 'DBN file');
  const reader = await DbnFileReader.open(file, {
    ...(options.fragment || version !== undefined ? { fragment: options.fragment ?? true } : {}),
    ...(version !== undefined ? { version } : {}),
  });
  if (options.metadata) {
    await reader.close();
    if (!reader.metadata)
      throw new AppError('ERR_INPUT_INVALID', `${file} is a record-only fragment: it has no metadata header`);
    await write(`${JSON.stringify(reader.metadata, null, 1)}\n`);
    return;
  }
  for await (const batch of reader.batches()) {
    let text = '';
    for (const record of batch) text += `${JSON.stringify(record)}\n`;
    await write(text);
  }
}

export function register(program: Command): void {
  const dbn = program.command('dbn').description('Databento DBN market-data files');
  dbn
    .command('dump')
    .description('print one JSON line per record (dbn --json format), or the metadata header')
    .argument('<file>', 'DBN file: .dbn, .dbn.zst, or a record-only .frag[.zst]')
    .option('--metadata', 'print the metadata header as JSON instead of the records')
    .option('--fragment', 'the file has no metadata header (default for *.frag[.zst])')
    .option('--dbn-version <n>', 'DBN version of a fragment (1, 2 or 3; inferred from record sizes if absent)')
    .action(async (file: string, options: DumpOptions) => {
      process.stdout.on('error', (err: NodeJS.ErrnoException) => {
        // `riskgate dbn dump x | head` closes the pipe early: not a failure.
        if (err.code === 'EPIPE') process.exit(0);
        throw err;
      });
      await dump(file, options);
    });
}
