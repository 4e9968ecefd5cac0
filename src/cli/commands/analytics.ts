/**
 * `riskgate analytics …` — thin I/O shell over the pure modules in src/analytics/
 * (DESIGN §5). Reads files, parses, prints; all maths lives in src/analytics.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import { greeksForRow, parseGreeksCsv } from '../../analytics/greeks-csv.ts';
import { maxPain, parseOptionChain } from '../../analytics/option-chain.ts';

export function readInput(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') throw new AppError('ERR_FILE_NOT_FOUND', `file not found: ${file}`);
    throw new AppError('ERR_ANALYTICS_INPUT', `cannot read ${file}: ${(err as Error).message}`);
  }
}

export function readJson(file: string): unknown {
  const text = readInput(file);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AppError('ERR_ANALYTICS_INPUT', `${file}: invalid JSON (${(err as Error).message})`);
  }
}

export function writeLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

export function register(program: Command): void {
  const analytics = program.command('analytics').description('Options, chain, indicator and portfolio-risk analytics');

  analytics
    .command('greeks')
    .description('Price and Greeks per CSV row (columns id,model,type,S_or_F,K,T,r,q,sigma[,iv_check_price]); one JSON line per row')
    .requiredOption('--csv <file>', 'input CSV file')
    .action((opts: { csv: string }) => {
      const rows = parseGreeksCsv(readInput(opts.csv));
      // Compute everything before printing so a bad row never leaves half an output.
      const results = rows.map(greeksForRow);
      process.stdout.write(results.map((r) => JSON.stringify(r)).join('\n') + (results.length > 0 ? '\n' : ''));
    });

  analytics
    .command('maxpain')
    .description('Max-pain strike of an option chain (format of shared/data/options/max_pain_example.json)')
    .argument('<chain.json>', 'option chain file')
    .action((file: string) => {
      const result = maxPain(parseOptionChain(readJson(file)));
      writeLine({ maxPainStrike: result.maxPainStrike, minTotalPayout: result.minTotalPayout });
    });

}
