/**
 * `riskgate report daily <account> [--date YYYY-MM-DD] [--data-dir DIR] [--format json|csv|html]
 * [--out-dir DIR]` (issue 18): the daily report of an account on demand, from the store (beside a
 * running node too: it reads what the node has committed). `--out-dir` writes the JSON, CSV,
 * fills CSV and HTML files, as the node does at each reset, and prints their paths.
 */
import { Option, type Command } from 'commander';

interface DailyOpts {
  date?: string;
  dataDir: string;
  format: 'json' | 'csv' | 'html';
  outDir?: string;
}

export function dailyReportCommand(report: Command): void {
  report
    .command('daily')
    .description('The daily report of an account: P&L, fees, trades, breaches, rejections, slippage, drawdown')
    .argument('<account>')
    .option('--date <date>', 'trading day YYYY-MM-DD (default: the current one)')
    .option('--data-dir <dir>', 'store directory', './data')
    .addOption(new Option('--format <format>', 'output on stdout').choices(['json', 'csv', 'html']).default('json'))
    .option('--out-dir <dir>', 'write <account>/<date>.json, .csv, .fills.csv and .html there instead')
    .action(async (account: string, opts: DailyOpts, cmd: Command) => {
      // `--data-dir` after `daily` is taken by `report` (commander gives a parent its options).
      const dataDir = (cmd.parent?.opts() as { dataDir?: string }).dataDir ?? opts.dataDir;
      const { TradingNode } = await import('../../node/node.ts');
      const fmt = await import('../../node/daily-report-format.ts');
      const node = TradingNode.open({ dataDir, readOnly: true });
      try {
        const r = node.dailyReport(account, opts.date);
        if (opts.outDir) {
          const { writeDailyReport } = await import('../../node/daily-report-files.ts');
          process.stdout.write(writeDailyReport(opts.outDir, r).join('\n') + '\n');
        } else if (opts.format === 'csv') process.stdout.write(fmt.dailyReportCsv(r));
        else if (opts.format === 'html') process.stdout.write(fmt.dailyReportHtml(r));
        else process.stdout.write(JSON.stringify(r, null, 1) + '\n');
      } finally {
        node.close();
      }
    });
}
