/**
 * The `analytics greeks --csv` contract (DESIGN §5): rows with columns
 * id,model,type,S_or_F,K,T,r,q,sigma and optional iv_check_price (other columns ignored);
 * one result per row {id, price, delta, gamma, vega, theta, rho} plus iv when iv_check_price is
 * non-empty. Pure: takes the file text, the CLI does the reading. Errors name the data row
 * (1-based, header excluded), its id and the field: `row 3 (id ref-003): K must be > 0`.
 */
import { AppError, isAppError } from '../errors.ts';
import { impliedVolatility } from './implied-vol.ts';
import { valueOption, validateOptionSpec, type OptionSpec, type OptionValuation } from './option-pricing.ts';

export interface GreeksCsvRow {
  /** 1-based data row number (header excluded). */
  row: number;
  id: string;
  spec: OptionSpec;
  ivCheckPrice: number | undefined;
}

/** One output line: the row's id, its valuation, and the implied vol when asked for. */
export interface GreeksResult extends OptionValuation {
  id: string;
  iv?: number;
}

const REQUIRED = ['id', 'model', 'type', 'S_or_F', 'K', 'T', 'r', 'q', 'sigma'] as const;

/** Splits one CSV line; supports double-quoted fields with "" escapes. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/** Strict decimal parse: rejects empty strings and trailing garbage that parseFloat accepts. */
function parseNumber(raw: string | undefined, field: string, where: string): number {
  const text = (raw ?? '').trim();
  if (text === '') throw new AppError('ERR_ANALYTICS_INPUT', `${where}: ${field} is missing`);
  const value = Number(text);
  if (!Number.isFinite(value))
    throw new AppError('ERR_ANALYTICS_INPUT', `${where}: ${field} is not a number ("${text}")`);
  return value;
}

function rowLabel(row: number, id: string | undefined): string {
  return id ? `row ${row} (id ${id})` : `row ${row}`;
}

/** Parses and validates the whole file; throws on the first bad row. */
export function parseGreeksCsv(text: string): GreeksCsvRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) throw new AppError('ERR_ANALYTICS_INPUT', 'CSV is empty (no header row)');
  const header = splitCsvLine(lines[headerIndex]!);
  const col = new Map(header.map((name, i) => [name, i]));
  const missing = REQUIRED.filter((name) => !col.has(name));
  if (missing.length > 0)
    throw new AppError('ERR_ANALYTICS_INPUT', `CSV header is missing column(s): ${missing.join(', ')}`);
  const ivCol = col.get('iv_check_price');

  const rows: GreeksCsvRow[] = [];
  let row = 0;
  for (let li = headerIndex + 1; li < lines.length; li++) {
    const line = lines[li]!;
    if (line.trim() === '') continue;
    row++;
    const cells = splitCsvLine(line);
    const get = (name: (typeof REQUIRED)[number]): string | undefined => cells[col.get(name)!];
    const id = (get('id') ?? '').trim();
    const where = rowLabel(row, id);
    if (id === '') throw new AppError('ERR_ANALYTICS_INPUT', `${where}: id is missing`);
    const spec: OptionSpec = {
      model: (get('model') ?? '').trim().toLowerCase() as OptionSpec['model'],
      type: (get('type') ?? '').trim().toLowerCase() as OptionSpec['type'],
      underlying: parseNumber(get('S_or_F'), 'S_or_F', where),
      strike: parseNumber(get('K'), 'K', where),
      timeToExpiry: parseNumber(get('T'), 'T', where),
      rate: parseNumber(get('r'), 'r', where),
      dividendYield: parseNumber(get('q'), 'q', where),
      volatility: parseNumber(get('sigma'), 'sigma', where),
    };
    try {
      validateOptionSpec(spec);
    } catch (err) {
      if (isAppError(err)) throw new AppError(err.code, `${where}: ${err.message}`);
      throw err;
    }
    const ivRaw = ivCol === undefined ? '' : (cells[ivCol] ?? '').trim();
    const ivCheckPrice = ivRaw === '' ? undefined : parseNumber(ivRaw, 'iv_check_price', where);
    rows.push({ row, id, spec, ivCheckPrice });
  }
  return rows;
}

/** Prices one parsed row and, if asked, solves the implied vol; errors name the row. */
export function greeksForRow(row: GreeksCsvRow): GreeksResult {
  try {
    const v = valueOption(row.spec);
    const result: GreeksResult = {
      id: row.id,
      price: v.price,
      delta: v.delta,
      gamma: v.gamma,
      vega: v.vega,
      theta: v.theta,
      rho: v.rho,
    };
    if (row.ivCheckPrice !== undefined) result.iv = impliedVolatility(row.spec, row.ivCheckPrice);
    return result;
  } catch (err) {
    if (isAppError(err)) throw new AppError(err.code, `${rowLabel(row.row, row.id)}: ${err.message}`, err.details);
    throw err;
  }
}
