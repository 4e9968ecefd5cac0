/**
 * `riskgate smoke` (DESIGN §5): boots the whole system against the paper broker (or, with
 * `--config` naming a venue, against that venue: dry run unless `--live-orders`) and logs the 8
 * checkpoints; exit 0 = all reached (and the enforcement confirmed), 1 = exception, 2 = stalled.
 * The runner lives in src/node/gateway-smoke.ts.
 */
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new AppError('ERR_INPUT_INVALID', `${name}: expected a positive integer (ms), got ${JSON.stringify(v)}`);
  return n;
}

function positiveSeconds(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new AppError('ERR_INPUT_INVALID', `${name}: expected a positive number of seconds, got ${JSON.stringify(v)}`);
  return n;
}

export function register(program: Command): void {
  program
    .command('smoke')
    .description(
      'Boot gateway + broker (paper, or the --config venue: dry run unless --live-orders) + journal, log the 8 checkpoints; exit 0 ok, 1 exception, 2 stalled',
    )
    .option('--timeout <s>', 'stall timeout in seconds (decimals allowed)', '20')
    .option('--dry-run', 'enforcement decisions are journaled, no broker calls')
    .option('-c, --config <file>', 'riskgate YAML config (default: built-in, with a tight RULE-004)')
    .option('--data-dir <dir>', 'data dir for the journal (default: a temporary dir, removed afterwards)')
    .option('--interval <ms>', 'market feed interval in milliseconds', '50')
    .option('--stall-after <checkpoint>', 'test hook: stop driving after this checkpoint (1-8 or its name)')
    .option(
      '--live-orders',
      'with a config naming a venue: buy 1 contract of --symbol and flatten it (default: dry run, no orders)',
    )
    .option('--symbol <symbol>', 'symbol the smoke trades', 'MES')
    .action(
      async (opts: {
        timeout: string;
        dryRun?: boolean;
        config?: string;
        dataDir?: string;
        interval: string;
        stallAfter?: string;
        liveOrders?: boolean;
        symbol: string;
      }) => {
        const { runSmoke } = await import('../../node/gateway-smoke.ts');
        const code = await runSmoke(
          {
            timeoutMs: positiveSeconds('--timeout', opts.timeout) * 1000,
            intervalMs: positiveInt('--interval', opts.interval),
            ...(opts.dryRun ? { dryRun: true } : {}),
            ...(opts.config ? { config: opts.config } : {}),
            ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
            ...(opts.stallAfter ? { stallAfter: opts.stallAfter } : {}),
            ...(opts.liveOrders ? { liveOrders: true } : {}),
            symbol: opts.symbol,
          },
          (line) => process.stdout.write(`${line}\n`),
        );
        process.exitCode = code;
      },
    );
}
