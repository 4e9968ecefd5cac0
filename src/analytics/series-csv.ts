/**
 * Numeric series from CSV text for the CLI (`analytics var`, `analytics optimize`): a header row,
 * then one row per period. Columns named date/time/timestamp are carried as labels, every other
 * column must hold numbers. A file without a header (one number per line) is one column "value".
 * Errors name the line and column.
 */
import { AppError } from '../errors.ts';
import { splitCsvLine } from './greeks-csv.ts';

export interface NumericTable {
  columns: string[];
  /** values[c][t]: column c, row t. */
  values: number[][];
  labels: string[];
}

const LABEL_COLUMNS = new Set(['date', 'time', 'timestamp', 'datetime']);

export function parseNumericCsv(text: string): NumericTable {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((l, i) => ({ line: i + 1, cells: splitCsvLine(l) }))
    .filter((l) => l.cells.some((c) => c !== ''));
  if (lines.length === 0) throw new AppError('ERR_ANALYTICS_INPUT', 'CSV is empty');
  const first = lines[0]!.cells;
  const hasHeader = first.some((c) => c === '' || !Number.isFinite(Number(c)));
  const header = hasHeader ? first : first.map((_, i) => (first.length === 1 ? 'value' : `col${i + 1}`));
  const labelIndex = header.findIndex((h) => LABEL_COLUMNS.has(h.toLowerCase()));
  const dataCols = header.map((_, i) => i).filter((i) => i !== labelIndex);
  if (dataCols.length === 0) throw new AppError('ERR_ANALYTICS_INPUT', 'CSV has no numeric column');
  const values: number[][] = dataCols.map(() => []);
  const labels: string[] = [];
  for (const { line, cells } of hasHeader ? lines.slice(1) : lines) {
    if (cells.length !== header.length) {
      throw new AppError('ERR_ANALYTICS_INPUT', `line ${line}: expected ${header.length} fields, got ${cells.length}`);
    }
    dataCols.forEach((c, k) => {
      const raw = cells[c]!;
      const v = Number(raw);
      if (raw === '' || !Number.isFinite(v))
        throw new AppError('ERR_ANALYTICS_INPUT', `line ${line}, column ${header[c]}: "${raw}" is not a number`);
      values[k]!.push(v);
    });
    labels.push(labelIndex >= 0 ? cells[labelIndex]! : String(labels.length + 1));
  }
  return { columns: dataCols.map((c) => header[c]!), values, labels };
}
