/** `riskgate config validate <file>`: exit 0 if valid, else 1 with every problem listed by path. */
import type { Command } from 'commander';
import { loadConfig, readConfigText, validateConfigText } from '../../config/load.ts';
import { parseTimestamp } from '../../domain/events.ts';
import { openExistingStore } from './ingest.ts';

export function register(program: Command): void {
  const config = program.command('config').description('Configuration tools');
  config
    .command('validate')
    .description('Validate a riskgate YAML config; lists every problem by path')
    .argument('<file>', 'riskgate.yaml')
    .action((file: string) => {
      const text = readConfigText(file);
      const { problems } = validateConfigText(text, file);
      if (problems.length === 0) {
        process.stdout.write(`${file}: valid\n`);
        return;
      }
      for (const p of problems) process.stdout.write(`${p.path}: ${p.message}\n`);
      process.stdout.write(`${file}: ${problems.length} problem(s)\n`);
      process.exitCode = 1;
    });
  config
    .command('apply')
    .description('Change the rules of a store: stricter limits apply now, looser ones from the next trading day (journaled)')
    .argument('<file>', 'the new riskgate.yaml')
    .option('--data-dir <dir>', 'store directory', './data')
    .option('--at <iso>', 'change time (default: now)')
    .action((file: string, opts: { dataDir: string; at?: string }) => {
      const next = loadConfig(file).raw;
      const pe = openExistingStore(opts.dataDir);
      try {
        const last = pe.engine.clock.lastT;
        const wanted = opts.at ? parseTimestamp(opts.at, '--at') : Date.now();
        const t = Number.isFinite(last) && wanted < last ? last : wanted;
        for (const d of pe.changeConfig(next, t)) if (d.account === '*') process.stdout.write(`${d.reason}\n`);
      } finally {
        pe.close();
      }
    });
}
