/**
 * `riskgate admin lock|unlock|status <account> [--reason …] [--data-dir DIR]` (DESIGN §5). Lock and
 * unlock are journaled with their reason; an unlock releases every lock early (admin only). With a
 * `riskgate start` running on the data dir they go through its API (local admin key in the data
 * dir); otherwise through the trading node on the local store.
 */
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import { printRisk, printStatus, statusCommand } from './trader.ts';
import type { RiskView } from '../../node/queries.ts';
import { registerApiKeys } from './apikey.ts';

interface LockOpts {
  dataDir: string;
  reason: string;
  at?: string;
  json?: boolean;
}

export function register(program: Command): void {
  const admin = program.command('admin').description('Administrator actions');
  for (const action of ['lock', 'unlock'] as const) {
    admin
      .command(action)
      .description(
        action === 'lock'
          ? 'Lock an account until an admin unlocks it (journaled)'
          : 'Release every lock of an account now (journaled)',
      )
      .argument('<account>')
      .requiredOption('--reason <text>', 'why (required, journaled)')
      .option('--data-dir <dir>', 'store directory', './data')
      .option('--at <iso>', "action time (default: now; never before the store's last event)")
      .option('--json', 'print the resulting status as JSON')
      .action(async (account: string, opts: LockOpts) => {
        if (!opts.reason.trim()) throw new AppError('ERR_INPUT_INVALID', '--reason must not be empty');
        const api = (await import('../node-api.ts')).runningNodeApi(opts.dataDir);
        if (api) {
          if (opts.at)
            throw new AppError(
              'ERR_INPUT_INVALID',
              '--at: a running node acts at its own time; stop it to act at another time',
            );
          const { risk } = await api.request<{ risk: RiskView }>(
            'POST',
            `/api/v1/admin/accounts/${encodeURIComponent(account)}/${action}`,
            { reason: opts.reason },
          );
          process.stderr.write(
            `${account}: ${action === 'lock' ? 'locked' : 'unlocked'} through the running node at ${api.url}\n`,
          );
          return printRisk(risk, opts.json);
        }
        const { parseTimestamp } = await import('../../domain/events.ts');
        const { TradingNode } = await import('../../node/node.ts');
        const at = opts.at ? parseTimestamp(opts.at, '--at') : undefined;
        const node = TradingNode.open({
          dataDir: opts.dataDir,
          owner: `admin ${action} ${account}`,
          ...(at !== undefined ? { now: () => at } : {}),
        });
        try {
          const decisions =
            action === 'lock' ? node.lock(account, opts.reason, 'cli') : node.unlock(account, opts.reason, 'cli');
          for (const d of decisions.filter((x) => x.kind === 'admin'))
            process.stderr.write(`${d.ts} ${account}: ${d.reason}\n`);
          await printStatus(node, account, opts.json);
        } finally {
          node.close();
        }
      });
  }
  statusCommand(admin.command('status'));
  registerApiKeys(admin);
}
