/**
 * `riskgate trader status <account> [--data-dir DIR] [--json]` (DESIGN §5): an account's state,
 * P&L, loss room, rule distances, locks and their end, positions. Read-only: it works beside a
 * running `riskgate start` (SQLite lets it read what the node has committed).
 */
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import type { TradingNode } from '../../node/node.ts';
import type { RiskView } from '../../node/queries.ts';

export async function printStatus(node: TradingNode, account: string, json?: boolean): Promise<void> {
  const risk = node.queries.risk(account);
  if (!risk)
    throw new AppError(
      'ERR_ACCOUNT_UNKNOWN',
      `unknown account ${account} (known: ${node.accounts.join(', ') || 'none'})`,
    );
  await printRisk(risk, json);
}

/** An account's risk view (`GET /api/v1/accounts/:id/risk`), as a table or JSON. */
export async function printRisk(risk: RiskView, json?: boolean): Promise<void> {
  const { formatAccountStatus } = await import('../../engine/account-status.ts');
  process.stdout.write(json ? JSON.stringify(risk, null, 1) + '\n' : formatAccountStatus(risk));
}

/** The status subcommand, shared by `trader status` and `admin status`. */
export function statusCommand(cmd: Command): Command {
  return cmd
    .description('An account: P&L, loss room, rule distances, lockout and its end, positions')
    .argument('<account>')
    .option('--data-dir <dir>', 'store directory', './data')
    .option('--json', 'JSON output')
    .action(async (account: string, opts: { dataDir: string; json?: boolean }) => {
      // A running node answers with its live view (marks included); else (or when its API does not
      // answer) the committed store is read.
      const api = (await import('../node-api.ts')).runningNodeApi(opts.dataDir);
      if (api) {
        try {
          return await printRisk(
            await api.request<RiskView>('GET', `/api/v1/accounts/${encodeURIComponent(account)}/risk`),
            opts.json,
          );
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'ERR_API_UNREACHABLE')) throw err;
          process.stderr.write(`${err.message}; reading the store\n`);
        }
      }
      const { TradingNode } = await import('../../node/node.ts');
      const node = TradingNode.open({ dataDir: opts.dataDir, readOnly: true });
      try {
        await printStatus(node, account, opts.json);
      } finally {
        node.close();
      }
    });
}

export function register(program: Command): void {
  statusCommand(program.command('trader').description('Trader views').command('status'));
}
