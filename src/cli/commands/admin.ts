/**
 * `riskgate admin lock|unlock|status <account> [--reason …] [--data-dir DIR]` and
 * `riskgate trader status <account> [--data-dir DIR]` over the local store (DESIGN §5). Lock and
 * unlock are journaled with their reason; an unlock releases every lock early (admin only).
 */
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import { parseTimestamp } from '../../domain/events.ts';
import { accountStatus, formatAccountStatus } from '../../node/account-status.ts';
import type { PersistentEngine } from '../../node/persistent-engine.ts';

interface StoreOpts {
  dataDir: string;
  json?: boolean;
}

function printStatus(pe: PersistentEngine, account: string, json?: boolean): void {
  const status = accountStatus(pe.engine, account);
  if (!status) throw new AppError('ERR_ACCOUNT_UNKNOWN', `unknown account ${account}`);
  process.stdout.write(json ? JSON.stringify(status, null, 1) + '\n' : formatAccountStatus(status));
}

/** Admin actions are stamped at wall-clock time, never before the store's last event. */
function actionTime(pe: PersistentEngine, at?: string): number {
  const last = pe.engine.clock.lastT;
  const t = at ? parseTimestamp(at, '--at') : Date.now();
  return Number.isFinite(last) && t < last ? last : t;
}

export function register(program: Command): void {
  const admin = program.command('admin').description('Administrator actions');
  for (const action of ['lock', 'unlock'] as const) {
    admin
      .command(action)
      .description(action === 'lock' ? 'Lock an account until an admin unlocks it (journaled)' : 'Release every lock of an account now (journaled)')
      .argument('<account>')
      .requiredOption('--reason <text>', 'why (required, journaled)')
      .option('--data-dir <dir>', 'store directory', './data')
      .option('--at <iso>', 'action time (default: now)')
      .option('--json', 'print the resulting status as JSON')
      .action(async (account: string, opts: StoreOpts & { reason: string; at?: string }) => {
        if (!opts.reason.trim()) throw new AppError('ERR_INPUT_INVALID', '--reason must not be empty');
        const { openExistingStore } = await import('../open-store.ts');
        const pe = openExistingStore(opts.dataDir);
        try {
          const decisions = pe.admin({ action, account, reason: opts.reason, t: actionTime(pe, opts.at), actor: 'cli' });
          for (const d of decisions.filter((x) => x.kind === 'admin')) process.stderr.write(`${d.ts} ${account}: ${d.reason}\n`);
          printStatus(pe, account, opts.json);
        } finally {
          pe.close();
        }
      });
  }
  const statusAction = async (account: string, opts: StoreOpts) => {
    const { openExistingStore } = await import('../open-store.ts');
    const pe = openExistingStore(opts.dataDir);
    try {
      printStatus(pe, account, opts.json);
    } finally {
      pe.close();
    }
  };
  admin
    .command('status')
    .description("An account's state, P&L, loss room, rule distances and locks")
    .argument('<account>')
    .option('--data-dir <dir>', 'store directory', './data')
    .option('--json', 'JSON output')
    .action(statusAction);

  program
    .command('trader')
    .description('Trader views')
    .command('status')
    .description('Your account: P&L, loss room, rule distances, lockout and its end')
    .argument('<account>')
    .option('--data-dir <dir>', 'store directory', './data')
    .option('--json', 'JSON output')
    .action(statusAction);
}
