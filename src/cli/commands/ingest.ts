/**
 * `riskgate ingest <events.ndjson> --config <cfg> --data-dir DIR` and
 * `riskgate report --data-dir DIR [--report json|text]` (DESIGN §5). Ingest feeds a file through
 * the persistent engine exactly as live events are processed and commits the source offset in
 * the same transaction as the journal records, so a run killed at any point (even kill -9) and
 * started again continues after the last committed event: nothing lost, nothing applied twice.
 */
import path from 'node:path';
import { Option, type Command } from 'commander';
import { AppError } from '../../errors.ts';
import { requireInputFile } from '../files.ts';
import { dailyReportCommand } from './report-daily.ts';

export function offsetKey(file: string): string {
  return `ingest-offset:${path.resolve(file)}`;
}

export function register(program: Command): void {
  program
    .command('ingest')
    .description('Feed an event log through the persistent engine (resumable; offset committed with the journal)')
    .argument('<events>', 'events.ndjson file')
    .option('-c, --config <file>', 'riskgate YAML config (stored with a new data dir)')
    .requiredOption('--data-dir <dir>', 'store directory (SQLite journal)')
    .option('--mode <mode>', 'shadow or enforce (for a new data dir)', 'shadow')
    .option('--skip-bad', 'skip malformed lines and report counts instead of failing')
    .addOption(new Option('--chunk-bytes <n>', 'read size per committed batch').default('1048576').hideHelp())
    .addOption(new Option('--snapshot-every <n>', 'journal records between snapshots').default('50000').hideHelp())
    .action(
      async (
        file: string,
        opts: {
          config?: string;
          dataDir: string;
          mode: string;
          skipBad?: boolean;
          chunkBytes: string;
          snapshotEvery: string;
        },
      ) => {
        if (opts.mode !== 'shadow' && opts.mode !== 'enforce')
          throw new AppError('ERR_INPUT_INVALID', `--mode must be shadow or enforce, got ${opts.mode}`);
        requireInputFile(file, 'event file');
        // Loaded here, not at the top: `riskgate --help` and the other commands never load them.
        const { loadConfig } = await import('../../config/load.ts');
        const { newReadStats, readEventBatches } = await import('../../adapters/eventlog/reader.ts');
        const { PersistentEngine } = await import('../../node/persistent-engine.ts');
        const { progressBar } = await import('../progress.ts');
        const { skippedLinesSummary } = await import('../skipped-lines.ts');
        const config = opts.config ? loadConfig(opts.config).raw : undefined;
        const pe = PersistentEngine.open(opts.dataDir, {
          ...(config ? { config } : {}),
          mode: opts.mode,
          manualCommit: true,
          snapshotEvery: Number(opts.snapshotEvery),
        });
        const key = offsetKey(file);
        const fromLine = Number(pe.journal.getMeta(key) ?? '0');
        const stats = newReadStats();
        const bar = progressBar('ingest');
        let events = 0;
        try {
          for await (const batch of readEventBatches(file, stats, {
            fromLine,
            skipBad: !!opts.skipBad,
            onProgress: bar?.update,
            chunkBytes: Number(opts.chunkBytes),
          })) {
            for (const input of batch) pe.process(input);
            events += batch.length;
            pe.commit({ [key]: String(stats.lines) });
          }
          // Lines after the last event (blank or skipped) are consumed too.
          pe.commit({ [key]: String(Math.max(stats.lines, fromLine)) });
          bar?.stop();
          const head = pe.journal.head();
          const skipped = skippedLinesSummary('ingest', stats);
          if (skipped) process.stderr.write(`${skipped}\n`);
          process.stderr.write(
            `ingested ${events} event(s) from line ${fromLine + 1}${stats.skipped ? `, skipped ${stats.skipped} bad line(s)` : ''}; journal head seq ${head.seq} ${head.hash}\n`,
          );
        } finally {
          bar?.stop();
          pe.close();
        }
      },
    );

  const report = program
    .command('report')
    .description('Print the replay report (DESIGN §5 shape) of everything in a store')
    // Not a commander-required option: `report daily` takes it too, and commander checks a parent's
    // required options for its subcommands.
    .option('--data-dir <dir>', 'store directory (required)')
    .option('--report <format>', 'json or text', 'json')
    .action(async (opts: { dataDir?: string; report: string }) => {
      if (!opts.dataDir) throw new AppError('ERR_INPUT_INVALID', '--data-dir: required (the store to report on)');
      if (opts.report !== 'json' && opts.report !== 'text')
        throw new AppError('ERR_INPUT_INVALID', `--report must be json or text, got ${opts.report}`);
      const { openExistingStore } = await import('../open-store.ts');
      const { formatReportText } = await import('../../engine/report.ts');
      const pe = openExistingStore(opts.dataDir);
      try {
        const report = pe.report();
        process.stdout.write(
          opts.report === 'json' ? JSON.stringify(report, null, 1) + '\n' : formatReportText(report),
        );
      } finally {
        pe.close();
      }
    });
  dailyReportCommand(report);
}
