/**
 * `riskgate start`: the main job. The live gateway (HTTP/WS API + paper broker) has not landed
 * yet, so for now it replays the bundled demo data through the risk engine and prints the report,
 * showing the whole pipeline on a fresh clone.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { createEngine } from '../../engine/factory.ts';
import { runReplay } from '../../engine/replay.ts';
import { MemoryChain } from '../../store/memory-chain.ts';
import { buildReport, formatReportText } from '../../engine/report.ts';
import { newReadStats, readEventBatches } from '../../adapters/eventlog/reader.ts';

const demoDir = path.resolve(fileURLToPath(import.meta.url), '../../../../examples/demo');

export function register(program: Command): void {
  program
    .command('start')
    .description('Start riskgate (for now: a demo replay of the bundled data through the risk engine)')
    .option('-c, --config <file>', 'riskgate YAML config', path.join(demoDir, 'riskgate.yaml'))
    .option('--events <file>', 'event log to replay', path.join(demoDir, 'events.ndjson'))
    .action(async (opts: { config: string; events: string }) => {
      process.stderr.write('riskgate: the live gateway is not available yet; replaying the bundled demo data.\n');
      const engine = createEngine(loadConfig(opts.config).raw, 'shadow');
      const stats = newReadStats();
      let decisions = 0;
      const result = await runReplay(engine, readEventBatches(opts.events, stats), { journal: new MemoryChain(), onDecision: () => decisions++ });
      process.stdout.write(formatReportText(buildReport(engine, result.events, result.head.hash)));
      process.stdout.write(`decisions: ${decisions}\n`);
    });
}
