/**
 * `riskgate replay <events> --config new.yaml --compare old.yaml` (DESIGN §5): the same events
 * replayed under each config, one after the other, in the same mode; prints what differs.
 */
import { loadConfig } from '../config/load.ts';
import { createEngine } from '../engine/factory.ts';
import { runReplay } from '../engine/replay.ts';
import { buildReport, type ReplayReport } from '../engine/report.ts';
import { compareReports, formatComparisonText } from '../engine/report-compare.ts';
import type { ReplayInput } from '../engine/step.ts';
import { eventBatches, newReadStats } from '../adapters/eventlog/reader.ts';
import { OffThreadChain } from '../store/chain-thread.ts';
import { writeOutputFile } from './files.ts';
import { progressBar } from './progress.ts';
import { skippedLinesSummary } from './skipped-lines.ts';

export interface CompareOptions {
  newConfig: string | undefined;
  oldConfig: string;
  mode: 'shadow' | 'enforce';
  report: 'json' | 'text';
  html?: string;
  skipBad: boolean;
  /** The replay input of a DBN file (market data only), when the events are one. */
  dbnSource?: () => Promise<AsyncIterable<ReplayInput>>;
}

/** One replay of `file` under `config`; the skipped-lines summary is written by the first run only. */
async function replayUnder(
  file: string,
  config: string | undefined,
  o: CompareOptions,
  label: string,
  reportSkipped: boolean,
): Promise<ReplayReport> {
  const engine = createEngine(loadConfig(config).raw, o.mode);
  const stats = newReadStats();
  const bar = progressBar(label);
  const journal = new OffThreadChain();
  let failed = true;
  try {
    const source = o.dbnSource
      ? await o.dbnSource()
      : eventBatches(file, stats, {
          skipBad: o.skipBad,
          onProgress: bar?.update,
          chunkSink: () => journal.chunkPort(),
        });
    const result = await runReplay(engine, source, { journal });
    bar?.stop();
    const skipped = reportSkipped ? skippedLinesSummary('replay', stats) : undefined;
    if (skipped) process.stderr.write(`${skipped}\n`);
    failed = false;
    return buildReport(engine, result.events, result.head.hash);
  } finally {
    bar?.stop();
    await (failed ? journal.close().catch(() => undefined) : journal.close());
  }
}

export async function runCompare(file: string, o: CompareOptions): Promise<void> {
  const next = await replayUnder(file, o.newConfig, o, 'replay (--config)', true);
  const prev = await replayUnder(file, o.oldConfig, o, 'replay (--compare)', false);
  const comparison = compareReports(prev, next, o.mode);
  if (o.html) {
    const { comparisonHtml } = await import('../engine/report-compare-html.ts');
    const configs = { old: o.oldConfig, new: o.newConfig ?? '(no config)' };
    writeOutputFile(o.html, comparisonHtml(comparison, configs, { old: prev, new: next }), '--html file');
  }
  process.stdout.write(
    o.report === 'json' ? JSON.stringify(comparison, null, 1) + '\n' : formatComparisonText(comparison),
  );
}
