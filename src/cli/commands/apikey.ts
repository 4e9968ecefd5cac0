/**
 * `riskgate admin apikey create --role admin|trader|viewer [--accounts A1,A2] [--label …] [--data-dir DIR]`
 * prints the new key alone on the last line of stdout (shown once; only its hash is kept);
 * `apikey list`, `apikey revoke <id>`. Works whether or not a node runs on the data dir: keys live
 * in their own file beside the journal (src/server/api-keys.ts).
 */
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';

export function registerApiKeys(admin: Command): void {
  const apikey = admin.command('apikey').description('API keys of the HTTP/WebSocket API');
  apikey
    .command('create')
    .description('Create a key (printed once, alone on the last line)')
    .requiredOption('--role <role>', 'admin | trader | viewer')
    .option('--accounts <list>', 'comma-separated accounts a trader or viewer may see')
    .option('--label <text>', 'what the key is for')
    .option('--tier <name>', 'rate-limit tier (server.rateLimits.tiers)')
    .option('--data-dir <dir>', 'store directory', './data')
    .action(async (opts: { role: string; accounts?: string; label?: string; tier?: string; dataDir: string }) => {
      const { ApiKeyStore, ROLES } = await import('../../server/api-keys.ts');
      if (!(ROLES as readonly string[]).includes(opts.role))
        throw new AppError('ERR_INPUT_INVALID', `--role: one of ${ROLES.join(', ')}, got ${JSON.stringify(opts.role)}`);
      const accounts = opts.accounts
        ?.split(',')
        .map((a) => a.trim())
        .filter(Boolean);
      const store = ApiKeyStore.open(opts.dataDir);
      try {
        const { key, info } = store.create({
          role: opts.role as 'admin',
          ...(accounts ? { accounts } : {}),
          ...(opts.label ? { label: opts.label } : {}),
          ...(opts.tier ? { tier: opts.tier } : {}),
        });
        process.stderr.write(
          `created ${info.role} key ${info.id}${info.accounts === '*' ? '' : ` for ${info.accounts.join(', ')}`}; it is shown once, keep it safe:\n`,
        );
        process.stdout.write(`${key}\n`);
      } finally {
        store.close();
      }
    });
  apikey
    .command('list')
    .description('Keys with their role, accounts and state (never the key itself)')
    .option('--data-dir <dir>', 'store directory', './data')
    .option('--json', 'JSON output')
    .action(async (opts: { dataDir: string; json?: boolean }) => {
      const { ApiKeyStore } = await import('../../server/api-keys.ts');
      const store = ApiKeyStore.open(opts.dataDir);
      try {
        const keys = store.list();
        if (opts.json) return void process.stdout.write(JSON.stringify(keys, null, 1) + '\n');
        for (const k of keys)
          process.stdout.write(
            `${k.id}  ${k.role.padEnd(6)}  ${(k.accounts === '*' ? '*' : k.accounts.join(',')).padEnd(20)}  ${k.revokedAt ? `revoked ${k.revokedAt}` : 'active'}  ${k.label ?? ''}\n`,
          );
      } finally {
        store.close();
      }
    });
  apikey
    .command('revoke')
    .description('Revoke a key by id (it stops working at its next request)')
    .argument('<id>')
    .option('--data-dir <dir>', 'store directory', './data')
    .action(async (id: string, opts: { dataDir: string }) => {
      const { ApiKeyStore } = await import('../../server/api-keys.ts');
      const store = ApiKeyStore.open(opts.dataDir);
      try {
        if (!store.revoke(id))
          throw new AppError('ERR_INPUT_INVALID', `no API key ${id} (see riskgate admin apikey list)`);
        process.stdout.write(`revoked ${id}\n`);
      } finally {
        store.close();
      }
    });
}
