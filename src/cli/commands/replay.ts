/**
 * `riskgate replay <events.ndjson> --config <cfg> [--mode shadow|enforce] [--report json|text]
 * [--out decisions.ndjson] [--journal file.db] [--skip-bad] [--html f] [--compare old.yaml]` (DESIGN §5).
 */
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import { parseEvent } from '../../domain/events.ts';
import type { ReplayInput } from '../../engine/step.ts';
import { basename } from 'node:path';
import { openOutputStream, requireInputFile, writeOutputFile } from '../files.ts';

interface ReplayOpts {
  config?: string;
  mode: string;
  report: string;
  out?: string;
  journal?: string;
  skipBad?: boolean;
  compare?: string;
  html?: string;
}

export function register(program: Command): void {
  program
    .command('replay')
    .description('Replay an event log (NDJSON) through the risk engine and print the report')
    .argument('<events>', 'events.ndjson, or a Databento file.dbn[.zst] (its quotes and trades drive the marks)')
    .option('-c, --config <file>', 'riskgate YAML config')
    .option('--mode <mode>', 'shadow (recorded fills are facts) or enforce', 'shadow')
    .option('--report <format>', 'json or text', 'json')
    .option('--out <file>', 'write every decision as NDJSON')
    .option('--journal <file.db>', 'write the journal of this replay (SQLite)')
    .option('--skip-bad', 'skip malformed lines and report counts instead of failing')
    .option('--compare <old.yaml>', 'also replay under this config and print only what differs')
    .option(
      '--html <file>',
      'write the report as an HTML page with charts (cumulative net P&L by day, breaches marked); with --compare, the comparison',
    )
    .action(async (file: string, opts: ReplayOpts) => {
      if (opts.mode !== 'shadow' && opts.mode !== 'enforce')
        throw new AppError('ERR_INPUT_INVALID', `--mode must be shadow or enforce, got ${opts.mode}`);
      if (opts.report !== 'json' && opts.report !== 'text')
        throw new AppError('ERR_INPUT_INVALID', `--report must be json or text, got ${opts.report}`);
      requireInputFile(file, 'event file');
      // Still exit 0: scripts replay without rules on purpose (positions and P&L only).
      if (opts.config === undefined) process.stderr.write('replay: no --config given: no risk rules are active\n');
      if (opts.compare !== undefined) return compare(file, opts);
      // Loaded here, not at the top: `riskgate --help` and the other commands never load them.
      const { loadConfig } = await import('../../config/load.ts');
      const { createEngine } = await import('../../engine/factory.ts');
      const { runReplay } = await import('../../engine/replay.ts');
      const { buildReport, formatReportText } = await import('../../engine/report.ts');
      const { decisionLine } = await import('../../engine/decision-json.ts');
      const { eventBatches, newReadStats } = await import('../../adapters/eventlog/reader.ts');
      const { openReplayJournal } = await import('../journal-sink.ts');
      const { OffThreadChain } = await import('../../store/chain-thread.ts');
      const { progressBar } = await import('../progress.ts');
      const { skippedLinesSummary } = await import('../skipped-lines.ts');
      const { raw } = loadConfig(opts.config);
      const engine = createEngine(raw, opts.mode);
      const stats = newReadStats();
      const bar = progressBar('replay');
      const out = opts.out ? openOutputStream(opts.out, '--out file') : undefined;
      // Both sinks hash (and, with --journal, write) on a worker thread; runReplay awaits their
      // flush before reading the head, so the head is the same as the in-thread chain's.
      const journal = opts.journal ? await openReplayJournal(opts.journal) : new OffThreadChain();
      let failed = true;
      try {
        const source = isDbn(file)
          ? await dbnQuotes(file)
          : eventBatches(file, stats, {
              skipBad: !!opts.skipBad,
              onProgress: bar?.update,
              chunkSink: journal instanceof OffThreadChain ? () => journal.chunkPort() : undefined,
            });
        const result = await runReplay(engine, source, {
          journal,
          ...(out ? { onDecision: (d) => out.write(decisionLine(d) + '\n') } : {}),
        });
        bar?.stop();
        const report = buildReport(engine, result.events, result.head.hash);
        const skipped = skippedLinesSummary('replay', stats);
        if (skipped) process.stderr.write(`${skipped}\n`);
        // Venues resend fills after reconnects (DESIGN §4): booked once, and said so.
        if (engine.duplicateFills > 0)
          process.stderr.write(`replay: ignored ${engine.duplicateFills} duplicate fill(s)\n`);
        process.stdout.write(
          opts.report === 'json' ? JSON.stringify(report, null, 1) + '\n' : formatReportText(report),
        );
        if (opts.html !== undefined) {
          const { replayHtml } = await import('../../engine/report-html.ts');
          writeOutputFile(
            opts.html,
            replayHtml(report, `riskgate replay of ${basename(file)} (${opts.mode})`),
            '--html file',
          );
        }
        failed = false;
      } finally {
        bar?.stop();
        // After a failure, the replay's error is the one to report (not a close error it caused).
        await (failed ? journal.close().catch(() => undefined) : journal.close());
        if (out) await new Promise<void>((resolve) => out.end(resolve));
      }
    });
}

async function compare(file: string, opts: ReplayOpts): Promise<void> {
  if (opts.compare === undefined) throw new AppError('ERR_INPUT_INVALID', '--compare needs <old.yaml>');
  // The comparison is of two replays: their decisions and journals belong to a plain replay.
  if (opts.out !== undefined || opts.journal !== undefined)
    throw new AppError('ERR_INPUT_INVALID', '--out and --journal cannot be used with --compare');
  requireInputFile(opts.compare, '--compare config');
  const { runCompare } = await import('../replay-compare.ts');
  await runCompare(file, {
    newConfig: opts.config,
    oldConfig: opts.compare,
    mode: opts.mode as 'shadow' | 'enforce',
    report: opts.report as 'json' | 'text',
    ...(opts.html !== undefined ? { html: opts.html } : {}),
    skipBad: !!opts.skipBad,
    ...(isDbn(file) ? { dbnSource: () => Promise.resolve(dbnQuotes(file)) } : {}),
  });
}

function isDbn(file: string): boolean {
  return /\.dbn(\.zst)?$/i.test(file);
}

/** Quote events of a DBN file as replay inputs (market data only: marks and quote-driven rules). */
async function* dbnQuotes(file: string): AsyncGenerator<ReplayInput> {
  const { DatabentoFileSource } = await import('../../adapters/databento/adapter.ts');
  const source = await DatabentoFileSource.open(file);
  try {
    for await (const quote of source) {
      const raw = quote as unknown as Record<string, unknown>;
      yield { event: parseEvent(raw), raw };
    }
  } finally {
    await source.close();
  }
}
