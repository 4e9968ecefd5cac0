/**
 * `riskgate golive check <account> [--data-dir DIR] [--days N] [--json]` (issue 18): the
 * graduation checklist of an account read from its shadow store — clean shadow days, a clean
 * reconciliation, alerts delivered to every configured channel, a journal that verifies — with
 * what is missing. Exit 0 when ready, 1 when not. Read-only: it works beside a running node.
 */
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';

export function register(program: Command): void {
  const golive = program.command('golive').description('Graduation from shadow to paper to limited live');
  golive
    .command('check')
    .description('Verify the go-live checklist of an account and print what is missing (exit 1 when not ready)')
    .argument('<account>')
    .option('--data-dir <dir>', 'the shadow store (a `riskgate start --mode shadow` data dir)', './data')
    .option('--days <n>', 'clean shadow days required (default golive.shadowDays of the config, else 5)')
    .option('--json', 'JSON output')
    .action(async (account: string, opts: { dataDir: string; days?: string; json?: boolean }) => {
      const days = opts.days === undefined ? undefined : Number(opts.days);
      if (days !== undefined && (!Number.isInteger(days) || days < 1))
        throw new AppError('ERR_INPUT_INVALID', `--days: a whole number of days ≥ 1, got ${JSON.stringify(opts.days)}`);
      const { TradingNode } = await import('../../node/node.ts');
      const { goLiveOf } = await import('../../node/golive-store.ts');
      const { formatGoLive } = await import('../../node/golive.ts');
      const node = TradingNode.open({ dataDir: opts.dataDir, readOnly: true });
      try {
        const result = goLiveOf(node, account, days === undefined ? {} : { days });
        process.stdout.write(opts.json ? JSON.stringify(result, null, 1) + '\n' : formatGoLive(result));
        process.exitCode = result.ready ? 0 : 1;
      } finally {
        node.close();
      }
    });
}
