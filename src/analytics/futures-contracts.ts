/**
 * Futures contract calendar: CME month codes, symbol parsing, last-trade (expiry) and roll dates.
 *
 * Business days: a WEEKEND-ONLY calendar (Mon–Fri are business days; exchange holidays are
 * ignored), so dates can differ from the exchange's by a day around holidays (e.g. CLF25:
 * the 25 Dec 2024 holiday moves the real last trade day to 19 Dec; we give 20 Dec).
 * Dates are ISO `YYYY-MM-DD` strings computed in UTC; nothing reads the clock.
 *
 * Expiry rules (last trading day):
 * - equity index (ES, MES, NQ, MNQ, YM, MYM, RTY, M2K): quarterly H/M/U/Z, third Friday of the
 *   contract month.
 * - energy (CL, MCL, QM): monthly; 3 business days before the 25th calendar day of the month
 *   prior to the contract month; if the 25th is not a business day, 3 business days before the
 *   business day preceding the 25th (NYMEX rule 200101).
 * - metals (GC, MGC, SI, SIL, HG): monthly listing; third last business day of the contract month.
 *
 * Roll conventions (when a continuous series / a trader moves to the next contract):
 * - equity index: 8 calendar days before expiry (the Thursday of the week before the third
 *   Friday, CME's usual roll date).
 * - energy: 2 business days before the last trading day.
 * - metals: 2 business days before the last business day of the month preceding the contract
 *   month (i.e. before first notice day, when long holders could be assigned delivery).
 */
import { AppError } from '../errors.ts';

export const MONTH_CODES = ['F', 'G', 'H', 'J', 'K', 'M', 'N', 'Q', 'U', 'V', 'X', 'Z'] as const;
export type MonthCode = (typeof MONTH_CODES)[number];

/** CME month code of a month 1–12. */
export function monthCode(month: number): MonthCode {
  const code = MONTH_CODES[month - 1];
  if (!code) throw new AppError('ERR_ANALYTICS_INPUT', `month must be 1–12, got ${month}`);
  return code;
}

/** Month 1–12 of a CME month code. */
export function monthOfCode(code: string): number {
  const i = MONTH_CODES.indexOf(code.toUpperCase() as MonthCode);
  if (i < 0) throw new AppError('ERR_ANALYTICS_INPUT', `unknown month code "${code}" (use F G H J K M N Q U V X Z)`);
  return i + 1;
}

export const FuturesSector = { EQUITY_INDEX: 'equity-index', ENERGY: 'energy', METALS: 'metals' } as const;
export type FuturesSector = (typeof FuturesSector)[keyof typeof FuturesSector];

export interface FuturesProduct {
  root: string;
  sector: FuturesSector;
  /** Months in which contracts are listed (1–12). */
  listedMonths: readonly number[];
}

const QUARTERLY = [3, 6, 9, 12] as const;
const MONTHLY = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

export const FUTURES_PRODUCTS: Readonly<Record<string, FuturesProduct>> = Object.fromEntries(
  [
    ...['ES', 'MES', 'NQ', 'MNQ', 'YM', 'MYM', 'RTY', 'M2K'].map((root) => ({
      root,
      sector: 'equity-index' as const,
      listedMonths: QUARTERLY,
    })),
    ...['CL', 'MCL', 'QM'].map((root) => ({ root, sector: 'energy' as const, listedMonths: MONTHLY })),
    ...['GC', 'MGC', 'SI', 'SIL', 'HG'].map((root) => ({ root, sector: 'metals' as const, listedMonths: MONTHLY })),
  ].map((p) => [p.root, p]),
);

export interface FuturesContract {
  root: string;
  month: number;
  year: number;
  /** Canonical symbol with a 4-digit year, e.g. MNQZ2026. */
  symbol: string;
}

// ---- weekend-only business-day calendar -------------------------------------------------

function utc(year: number, month: number, day: number): Date {
  return new Date(Date.UTC(year, month - 1, day));
}

export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function parseIsoDate(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const d = m ? utc(Number(m[1]), Number(m[2]), Number(m[3])) : new Date(Number.NaN);
  if (!m || Number.isNaN(d.getTime()) || isoDate(d) !== s)
    throw new AppError('ERR_ANALYTICS_INPUT', `invalid date "${s}" (expected YYYY-MM-DD)`);
  return d;
}

const addDays = (d: Date, n: number): Date => new Date(d.getTime() + n * 86_400_000);
export const isBusinessDay = (d: Date): boolean => d.getUTCDay() !== 0 && d.getUTCDay() !== 6;

/** Moves n business days (n < 0: back) from d, not counting d itself. */
export function addBusinessDays(d: Date, n: number): Date {
  let cur = d;
  let left = Math.abs(n);
  const dir = n < 0 ? -1 : 1;
  while (left > 0) {
    cur = addDays(cur, dir);
    if (isBusinessDay(cur)) left--;
  }
  return cur;
}

function lastBusinessDayOfMonth(year: number, month: number): Date {
  let d = utc(year, month + 1, 0);
  while (!isBusinessDay(d)) d = addDays(d, -1);
  return d;
}

// ---- symbols ------------------------------------------------------------------------------

/**
 * Parses ROOT + month code + year: MNQZ6, MNQZ26, MNQZ2026, ESH25. A 1-digit year is resolved
 * into [referenceYear − 1, referenceYear + 8] (so a just-expired contract still parses as recent);
 * a 2-digit year is 20YY.
 */
export function parseFuturesSymbol(symbol: string, referenceYear?: number): FuturesContract {
  const m = /^([A-Z0-9]{1,4}?)([FGHJKMNQUVXZ])(\d{1,4})$/.exec(symbol.trim().toUpperCase());
  if (!m || m[3]!.length === 3)
    throw new AppError(
      'ERR_ANALYTICS_INPUT',
      `cannot parse futures symbol "${symbol}" (expected e.g. ESH25, MNQZ6, MNQZ2026)`,
    );
  const root = m[1]!;
  const month = monthOfCode(m[2]!);
  const digits = m[3]!;
  let year: number;
  if (digits.length === 4) year = Number(digits);
  else if (digits.length === 2) year = 2000 + Number(digits);
  else {
    if (referenceYear === undefined) {
      throw new AppError(
        'ERR_ANALYTICS_INPUT',
        `symbol "${symbol}" has a 1-digit year: pass a reference year to resolve the decade`,
      );
    }
    const d = Number(digits);
    year = referenceYear - 1 + ((d - ((referenceYear - 1) % 10) + 10) % 10);
  }
  const product = FUTURES_PRODUCTS[root];
  if (product && !product.listedMonths.includes(month)) {
    throw new AppError(
      'ERR_ANALYTICS_INPUT',
      `${root} is not listed in month ${m[2]} (listed: ${product.listedMonths.map(monthCode).join(' ')})`,
    );
  }
  return { root, month, year, symbol: `${root}${m[2]!}${year}` };
}

function productOf(root: string): FuturesProduct {
  const p = FUTURES_PRODUCTS[root];
  if (!p) throw new AppError('ERR_INSTRUMENT_UNKNOWN', `no expiry rule for futures root "${root}"`);
  return p;
}

// ---- expiry and roll ------------------------------------------------------------------------

/** Last trading day (ISO date) of a contract under the rules in the file header. */
export function lastTradingDay(contract: Pick<FuturesContract, 'root' | 'month' | 'year'>): string {
  const { year, month } = contract;
  switch (productOf(contract.root).sector) {
    case 'equity-index': {
      const first = utc(year, month, 1);
      const firstFriday = 1 + ((5 - first.getUTCDay() + 7) % 7);
      return isoDate(utc(year, month, firstFriday + 14));
    }
    case 'energy': {
      const prevYear = month === 1 ? year - 1 : year;
      const prevMonth = month === 1 ? 12 : month - 1;
      let anchor = utc(prevYear, prevMonth, 25);
      if (!isBusinessDay(anchor)) anchor = addBusinessDays(anchor, -1);
      return isoDate(addBusinessDays(anchor, -3));
    }
    case 'metals':
      return isoDate(addBusinessDays(lastBusinessDayOfMonth(year, month), -2));
  }
}

/** Roll date (ISO) of a contract under the conventions in the file header. */
export function rollDate(contract: Pick<FuturesContract, 'root' | 'month' | 'year'>): string {
  const ltd = parseIsoDate(lastTradingDay(contract));
  switch (productOf(contract.root).sector) {
    case 'equity-index':
      return isoDate(addDays(ltd, -8));
    case 'energy':
      return isoDate(addBusinessDays(ltd, -2));
    case 'metals': {
      const prevYear = contract.month === 1 ? contract.year - 1 : contract.year;
      const prevMonth = contract.month === 1 ? 12 : contract.month - 1;
      return isoDate(addBusinessDays(lastBusinessDayOfMonth(prevYear, prevMonth), -2));
    }
  }
}

/** The listed contract that is "front" (not yet rolled) on `date`, per the roll convention. */
export function frontContract(root: string, date: string): FuturesContract {
  const product = productOf(root);
  const d = parseIsoDate(date);
  let year = d.getUTCFullYear();
  for (let guard = 0; guard < 3; guard++, year++) {
    for (const month of product.listedMonths) {
      const c = { root, month, year, symbol: `${root}${monthCode(month)}${year}` };
      if (rollDate(c) > date) return c;
    }
  }
  throw new AppError('ERR_ANALYTICS_NO_SOLUTION', `no front contract found for ${root} on ${date}`);
}
