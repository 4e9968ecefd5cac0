/**
 * `riskgate analytics …` — thin I/O shell over the pure modules in src/analytics/
 * (DESIGN §5). Reads files, parses, prints; all maths lives in src/analytics.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../errors.ts';
import { greeksForRow, parseGreeksCsv } from '../../analytics/greeks-csv.ts';
import { maxPain, parseOptionChain } from '../../analytics/option-chain.ts';
import { impliedVolatility } from '../../analytics/implied-vol.ts';
import { valueOption, type OptionSpec } from '../../analytics/option-pricing.ts';
import { historicalVar, parametricVar, simpleReturns, type RiskEstimate } from '../../analytics/value-at-risk.ts';
import {
  OPTIMIZER_METHODS,
  estimateMoments,
  optimizePortfolio,
  type OptimizerMethod,
} from '../../analytics/portfolio-optimizer.ts';
import { parseNumericCsv } from '../../analytics/series-csv.ts';

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

type Format = 'json' | 'table';

function parseFormat(value: string): Format {
  if (value !== 'json' && value !== 'table')
    throw new AppError('ERR_ANALYTICS_INPUT', `--format must be json or table, got "${value}"`);
  return value;
}

/** Parses a numeric CLI option, naming the option on failure. */
function num(name: string, raw: string | undefined, fallback?: number): number {
  if (raw === undefined) {
    if (fallback !== undefined) return fallback;
    throw new AppError('ERR_ANALYTICS_INPUT', `--${name} is required`);
  }
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v))
    throw new AppError('ERR_ANALYTICS_INPUT', `--${name} must be a number, got "${raw}"`);
  return v;
}

/** Plain aligned text table (numbers right-aligned) for --format table. */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? formatNumber(c) : c)));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]!.length)));
  const line = (r: string[], isHeader: boolean): string =>
    r
      .map((c, i) => (isHeader || typeof rows[0]?.[i] !== 'number' ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  return (
    [line(headers, true), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map((r) => line(r, false))].join('\n') +
    '\n'
  );
}

function formatNumber(x: number): string {
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 1e-4 || x === 0 ? x.toFixed(6) : x.toExponential(6);
}

export function register(program: Command): void {
  const analytics = program.command('analytics').description('Options, chain, indicator and portfolio-risk analytics');

  analytics
    .command('greeks')
    .description(
      'Price and Greeks per CSV row (columns id,model,type,S_or_F,K,T,r,q,sigma[,iv_check_price]); one JSON line per row',
    )
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

  analytics
    .command('iv')
    .description('Implied volatility of one European option premium (plus its price and Greeks at that vol)')
    .option('--model <model>', 'bsm or black76', 'bsm')
    .requiredOption('--type <type>', 'call or put')
    .requiredOption('--underlying <S_or_F>', 'spot (bsm) or futures price (black76)')
    .requiredOption('--strike <K>', 'strike')
    .requiredOption('--years <T>', 'time to expiry in years, ACT/365 (days/365)')
    .option('--rate <r>', 'continuously compounded risk-free rate', '0')
    .option('--dividend-yield <q>', 'continuous dividend yield (bsm)', '0')
    .requiredOption('--price <premium>', 'option premium to invert')
    .option('--format <format>', 'json or table', 'json')
    .action((o: Record<string, string>) => {
      const format = parseFormat(o.format!);
      const spec: OptionSpec = {
        model: o.model as OptionSpec['model'],
        type: o.type as OptionSpec['type'],
        underlying: num('underlying', o.underlying),
        strike: num('strike', o.strike),
        timeToExpiry: num('years', o.years),
        rate: num('rate', o.rate),
        dividendYield: num('dividend-yield', o.dividendYield),
        volatility: Number.NaN,
      };
      const iv = impliedVolatility(spec, num('price', o.price));
      const v = valueOption({ ...spec, volatility: iv });
      const out = { iv, price: v.price, delta: v.delta, gamma: v.gamma, vega: v.vega, theta: v.theta, rho: v.rho };
      if (format === 'json') writeLine(out);
      else process.stdout.write(formatTable(['field', 'value'], Object.entries(out)));
    });

  analytics
    .command('var')
    .description('1-day historical and parametric VaR / expected shortfall (losses reported as positive numbers)')
    .argument('<file.csv>', 'returns (one column, or --column) or prices with --from-prices')
    .option('--column <name>', 'column to use (default: the first numeric column)')
    .option('--from-prices', 'the column holds prices/equity: convert to simple returns first')
    .option('--confidence <list>', 'comma-separated confidence levels', '0.95,0.99')
    .option('--method <method>', 'historical, parametric or both', 'both')
    .option('--portfolio-value <amount>', 'multiply results (returns → money)', '1')
    .option('--horizon-days <h>', 'horizon in periods (√h scaling)', '1')
    .option('--format <format>', 'json or table', 'json')
    .action((file: string, o: Record<string, string | boolean>) => {
      const format = parseFormat(o.format as string);
      const table = parseNumericCsv(readInput(file));
      const col = o.column === undefined ? 0 : table.columns.indexOf(o.column as string);
      if (col < 0)
        throw new AppError(
          'ERR_ANALYTICS_INPUT',
          `column "${String(o.column)}" not found (have: ${table.columns.join(', ')})`,
        );
      const series = table.values[col]!;
      const returns = o.fromPrices ? simpleReturns(series) : series;
      const method = o.method as string;
      if (!['historical', 'parametric', 'both'].includes(method))
        throw new AppError('ERR_ANALYTICS_INPUT', `--method must be historical, parametric or both, got "${method}"`);
      const levels = (o.confidence as string).split(',').map((c) => num('confidence', c));
      const base = {
        portfolioValue: num('portfolio-value', o.portfolioValue as string),
        horizonDays: num('horizon-days', o.horizonDays as string),
      };
      const results: RiskEstimate[] = [];
      for (const confidence of levels) {
        if (method !== 'parametric') results.push(historicalVar(returns, { ...base, confidence }));
        if (method !== 'historical') results.push(parametricVar(returns, { ...base, confidence }));
      }
      if (format === 'json') results.forEach((r) => writeLine(r));
      else {
        const rows = results.map((r) => [r.method, r.confidence, r.valueAtRisk, r.expectedShortfall, r.observations]);
        process.stdout.write(formatTable(['method', 'confidence', 'VaR', 'ES', 'n'], rows));
      }
    });

  analytics
    .command('optimize')
    .description(`Strategy weights (long-only, sum 1, capped): ${OPTIMIZER_METHODS.join(', ')}`)
    .argument(
      '<returns.csv>',
      'one column of per-period returns per strategy (header = strategy names; a date column is ignored)',
    )
    .option('--method <method>', OPTIMIZER_METHODS.join(' | '), 'max-sharpe')
    .option('--max-weight <w>', 'per-strategy weight cap', '0.4')
    .option('--risk-free <r>', 'risk-free rate per period (max-sharpe)', '0')
    .option('--risk-aversion <lambda>', 'λ for mean-variance', '1')
    .option('--format <format>', 'json or table', 'json')
    .action((file: string, o: Record<string, string>) => {
      const format = parseFormat(o.format!);
      const method = o.method as OptimizerMethod;
      if (!OPTIMIZER_METHODS.includes(method))
        throw new AppError(
          'ERR_ANALYTICS_INPUT',
          `--method must be one of ${OPTIMIZER_METHODS.join(', ')}, got "${o.method}"`,
        );
      const table = parseNumericCsv(readInput(file));
      const { expectedReturns, covariance } = estimateMoments(table.values);
      const r = optimizePortfolio(method, expectedReturns, covariance, {
        maxWeight: num('max-weight', o.maxWeight),
        riskFreeRate: num('risk-free', o.riskFree),
        riskAversion: num('risk-aversion', o.riskAversion),
      });
      if (format === 'json') {
        writeLine({
          method: r.method,
          weights: Object.fromEntries(table.columns.map((c, i) => [c, r.weights[i]])),
          riskContributions: Object.fromEntries(table.columns.map((c, i) => [c, r.riskContributions[i]])),
          expectedReturn: r.expectedReturn,
          volatility: r.volatility,
          sharpe: r.sharpe,
        });
      } else {
        const rows = table.columns.map((c, i) => [
          c,
          r.weights[i]!,
          r.riskContributions[i]!,
          expectedReturns[i]!,
          Math.sqrt(covariance[i]![i]!),
        ]);
        process.stdout.write(formatTable(['strategy', 'weight', 'risk share', 'mean', 'stdev'], rows));
        process.stdout.write(
          `${r.method}: expected return ${formatNumber(r.expectedReturn)}, volatility ${formatNumber(r.volatility)}, sharpe ${r.sharpe === null ? 'n/a' : formatNumber(r.sharpe)}\n`,
        );
      }
    });
}
