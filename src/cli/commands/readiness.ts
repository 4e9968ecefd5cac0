/**
 * `riskgate readiness --broker <kind> [--config <cfg>] [--report json|text] [--fault <name>]`
 * (DESIGN §5): runs the adapter's contract, fault and reconciliation suites against its local fake
 * (src/node/readiness.ts) and prints the score out of 100; exit 0 only when ready (score ≥ 85).
 */
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';

interface ReadinessCliOptions {
  broker?: string;
  config?: string;
  report: string;
  fault?: string;
}

export function register(program: Command): void {
  program
    .command('readiness')
    .description(
      "Run a broker adapter's contract, fault and reconciliation suites against its local fake; score /100, exit 0 when ready (≥ 85)",
    )
    .option('--broker <kind>', 'broker kind (paper, projectx, …); default: the config’s broker.kind')
    .option('-c, --config <file>', 'riskgate YAML config naming the broker (when --broker is not given)')
    .option('--report <format>', 'json or text', 'text')
    .option('--fault <name>', "force one of the fake's faults on every check (shows what breaks)")
    .action(async (opts: ReadinessCliOptions) => {
      if (opts.report !== 'json' && opts.report !== 'text')
        throw new AppError('ERR_INPUT_INVALID', `--report: expected json or text, got ${JSON.stringify(opts.report)}`);
      const kind = opts.broker ?? (await brokerOfConfig(opts.config));
      const { brokerReadiness } = await import('../../node/readiness.ts');
      const { readinessText } = await import('../../adapters/contract/readiness.ts');
      const tty = opts.report === 'text' && process.stderr.isTTY;
      const report = await brokerReadiness(kind, {
        ...(opts.fault !== undefined ? { fault: opts.fault } : {}),
        onCheck: (suite, name, ok) => tty && process.stderr.write(`${ok ? 'ok  ' : 'FAIL'} ${suite} / ${name}\n`),
      });
      process.stdout.write(opts.report === 'json' ? `${JSON.stringify(report)}\n` : `${readinessText(report)}\n`);
      process.exitCode = report.ready ? 0 : 1;
    });
}

async function brokerOfConfig(file: string | undefined): Promise<string> {
  if (file === undefined) throw new AppError('ERR_INPUT_INVALID', '--broker: required (or --config naming a broker)');
  const { loadConfig } = await import('../../config/load.ts');
  const kind = loadConfig(file).raw.broker?.kind;
  return typeof kind === 'string' ? kind : 'paper';
}
