/**
 * Display formatting. Money stays a decimal string from the API to the screen (no float rounding):
 * grouped, at least two decimals, with the account's currency symbol. Times are shown in the
 * account's trading time zone.
 */

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

/** `-1234.5` in USD → `-$1,234.50`; anything that is not a decimal is shown as it is. */
export function formatMoney(value: string | null | undefined, currency = 'USD'): string {
  if (value === null || value === undefined) return '—';
  const m = DECIMAL.exec(value.trim());
  if (!m) return value;
  const [, sign, int, frac = ''] = m;
  const grouped = int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = frac.length >= 2 ? frac : frac.padEnd(2, '0');
  const negative = sign === '-' && /[1-9]/.test(int! + cents);
  return `${negative ? '-' : ''}${currencySymbol(currency)}${grouped}.${cents}`;
}

/** A price or quantity as sent: only grouped. */
export function formatNumber(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const m = DECIMAL.exec(String(value).trim());
  if (!m) return String(value);
  const [, sign, int, frac] = m;
  return `${sign}${int!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${frac ? `.${frac}` : ''}`;
}

const symbols = new Map<string, string>();
export function currencySymbol(currency: string): string {
  let s = symbols.get(currency);
  if (s === undefined) {
    try {
      const parts = new Intl.NumberFormat('en-US', { style: 'currency', currency }).formatToParts(0);
      s = parts.find((p) => p.type === 'currency')?.value ?? `${currency} `;
    } catch {
      s = `${currency} `;
    }
    symbols.set(currency, s);
  }
  return s;
}

/** 'pos', 'neg' or 'zero': the colour class of a signed decimal. */
export function signOf(value: string | null | undefined): 'pos' | 'neg' | 'zero' {
  if (!value) return 'zero';
  const v = value.trim();
  if (!/[1-9]/.test(v)) return 'zero';
  return v.startsWith('-') ? 'neg' : 'pos';
}

/** The colour band of a rule's used share of its limit: 50 / 70 / 85 / 100 %. */
export function band(usedPct: number): 'ok' | 'b50' | 'b70' | 'b85' | 'b100' {
  if (usedPct >= 100) return 'b100';
  if (usedPct >= 85) return 'b85';
  if (usedPct >= 70) return 'b70';
  if (usedPct >= 50) return 'b50';
  return 'ok';
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
function fmt(timeZone: string, withDate: boolean): Intl.DateTimeFormat {
  const key = `${timeZone}|${withDate}`;
  let f = timeFormats.get(key);
  if (!f) {
    const opts: Intl.DateTimeFormatOptions = {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      ...(withDate ? { year: 'numeric', month: '2-digit', day: '2-digit' } : {}),
    };
    try {
      f = new Intl.DateTimeFormat('en-CA', opts);
    } catch {
      f = new Intl.DateTimeFormat('en-CA', { ...opts, timeZone: 'UTC' });
    }
    timeFormats.set(key, f);
  }
  return f;
}

/** `HH:MM:SS` of an ISO time in the zone. */
export function formatTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fmt(timeZone, false).format(d);
}

/** `YYYY-MM-DD, HH:MM:SS` of an ISO time in the zone. */
export function formatDateTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : fmt(timeZone, true).format(d);
}

/** The time left until `untilIso`: `2h 05m 09s`, `4m 03s`, `12s`; `0s` once passed. */
export function countdown(untilIso: string, nowMs: number): string {
  const end = Date.parse(untilIso);
  if (Number.isNaN(end)) return '';
  const total = Math.max(0, Math.ceil((end - nowMs) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/**
 * The trading day of an instant: its date in the trading time zone, or the next date once the
 * local time has reached the reset (a 17:00 reset makes 18:00 on Monday part of Tuesday).
 */
export function tradingDayOf(iso: string, timeZone: string, resetTime = '17:00'): string {
  const local = formatDateTime(iso, timeZone); // YYYY-MM-DD, HH:MM:SS
  const date = local.slice(0, 10);
  if (resetTime === '00:00' || local.slice(12, 17) < resetTime) return date;
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
