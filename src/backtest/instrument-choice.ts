/**
 * The instrument a backtest trades: `--tick-size`/`--tick-value` when given (both together), else
 * the config's `instruments` entry for the symbol, else undefined (the engine's built-ins). Shared
 * by `riskgate backtest` and the research commands, which name their own error code.
 */
import type { Instrument } from '../adapters/broker.ts';
import type { RawConfig } from '../config/schema.ts';
import { MoneyFormatError, parseFixed, type Fixed } from '../domain/money.ts';
import { AppError, type ErrorCode } from '../errors.ts';

export function decimalFlag(code: ErrorCode, flag: string, text: string): Fixed {
  try {
    return parseFixed(text);
  } catch (e) {
    if (e instanceof MoneyFormatError) throw new AppError(code, `${flag}: not a decimal: ${JSON.stringify(text)}`);
    throw e;
  }
}

export function backtestInstrument(
  symbol: string,
  ticks: { readonly tickSize?: string | undefined; readonly tickValue?: string | undefined },
  config: RawConfig | undefined,
  code: ErrorCode,
): Instrument | undefined {
  if (ticks.tickSize !== undefined || ticks.tickValue !== undefined) {
    if (ticks.tickSize === undefined || ticks.tickValue === undefined)
      throw new AppError(code, '--tick-size and --tick-value go together');
    return {
      symbol,
      tickSize: decimalFlag(code, '--tick-size', ticks.tickSize),
      tickValue: decimalFlag(code, '--tick-value', ticks.tickValue),
      currency: 'USD',
    };
  }
  const hit = config?.instruments.find((i) => i.symbol.toUpperCase() === symbol.toUpperCase());
  if (!hit) return undefined;
  return {
    symbol,
    tickSize: decimalFlag(code, 'instruments.tickSize', String(hit.tickSize)),
    tickValue: decimalFlag(code, 'instruments.tickValue', String(hit.tickValue)),
    currency: hit.currency,
  };
}
