/** `riskgate config validate <file>`: exit 0 if valid, else 1 with every problem listed by path. */
import type { Command } from 'commander';
import { parseTimestamp } from '../../domain/events.ts';
import { AppError } from '../../errors.ts';

export function register(program: Command): void {
  const config = program.command('config').description('Configuration tools');
  config
    .command('validate')
    .description('Validate a riskgate YAML config; lists every problem by path')
    .argument('<file>', 'riskgate.yaml')
    .action(async (file: string) => {
      const { readConfigText, validateConfigText } = await import('../../config/load.ts');
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
    .description(
      'Change the rules of a store (through its running node when one runs): stricter limits apply now, looser ones from the next trading day (journaled)',
    )
    .argument('<file>', 'the new riskgate.yaml')
    .option('--data-dir <dir>', 'store directory', './data')
    .option('--at <iso>', 'change time (default: now)')
    .action(async (file: string, opts: { dataDir: string; at?: string }) => {
      const { loadConfig } = await import('../../config/load.ts');
      const { TradingNode } = await import('../../node/node.ts');
      const next = loadConfig(file).raw;
      const api = (await import('../node-api.ts')).runningNodeApi(opts.dataDir);
      if (api) {
        if (opts.at)
          throw new AppError(
            'ERR_INPUT_INVALID',
            '--at: a running node changes its config at its own time; stop it to apply at another time',
          );
        const res = await api.request<{ reason: string; restartNeeded?: string[] }>('PUT', '/api/v1/config', next);
        if (res.reason) process.stdout.write(`${res.reason}\n`);
        if (res.restartNeeded?.length)
          process.stderr.write(`needs a restart to take effect: ${res.restartNeeded.join(', ')}\n`);
        process.stderr.write(`applied through the running node at ${api.url}\n`);
        return;
      }
      const at = opts.at ? parseTimestamp(opts.at, '--at') : undefined;
      const node = TradingNode.open({
        dataDir: opts.dataDir,
        owner: 'config apply',
        ...(at !== undefined ? { now: () => at } : {}),
      });
      try {
        for (const d of node.changeConfig(next, { actor: 'cli' }))
          if (d.account === '*') process.stdout.write(`${d.reason}\n`);
      } finally {
        node.close();
      }
    });
}
