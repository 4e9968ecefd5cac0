/**
 * The report chart as SVG, for a PNG without a browser: equity (and buy-and-hold) over time with
 * breach marks, the drawdown underneath, value axes with labelled ticks, a date axis and a legend.
 */
import { esc } from './page.ts';
import type { ChartPoint } from './series.ts';

export interface PictureData {
  readonly title: string;
  readonly equity: readonly ChartPoint[];
  readonly benchmark?: readonly ChartPoint[];
  readonly benchmarkName?: string;
  /** Epoch ms of breaches (marked on the equity line's time). */
  readonly breaches?: readonly number[];
}

const C = {
  text: '#1f2328',
  muted: '#57606a',
  grid: '#eef0f3',
  axis: '#d0d7de',
  equity: '#1f6feb',
  bench: '#8c959f',
  dd: '#cf222e',
  breach: '#bc4c00',
};
const FONT = 'font-family="DejaVu Sans, sans-serif"';

/** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, count = 5): { ticks: number[]; step: number } {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return { ticks, step };
}

const DAY = 86_400_000;

/** Date ticks (UTC) for a time span: years, months or days, or hours within a few days. */
export function timeTicks(t0: number, t1: number, maxTicks = 8): Array<{ time: number; label: string }> {
  const span = Math.max(1, t1 - t0);
  const out: Array<{ time: number; label: string }> = [];
  const d0 = new Date(t0);
  if (span > 3 * 365 * DAY || span > 5 * 30 * DAY) {
    const years = span > 3 * 365 * DAY;
    const months = years
      ? [1, 2, 5, 10, 20, 50].find((y) => span / (y * 365 * DAY) <= maxTicks)! * 12
      : ([1, 2, 3, 6].find((m) => span / (m * 30.4 * DAY) <= maxTicks) ?? 12);
    let y = d0.getUTCFullYear();
    let m = years ? 0 : d0.getUTCMonth();
    if (years) y = Math.ceil(y / (months / 12)) * (months / 12);
    for (;;) {
      const t = Date.UTC(y, m, 1);
      if (t > t1) break;
      if (t >= t0) out.push({ time: t, label: years ? String(y) : new Date(t).toISOString().slice(0, 7) });
      m += months;
      y += Math.floor(m / 12);
      m %= 12;
    }
    return out;
  }
  const stepMs =
    [3_600_000, 3 * 3_600_000, 6 * 3_600_000, DAY, 2 * DAY, 7 * DAY, 14 * DAY].find((s) => span / s <= maxTicks) ??
    30 * DAY;
  const intraday = stepMs < DAY;
  for (let t = Math.ceil(t0 / stepMs) * stepMs; t <= t1; t += stepMs) {
    const iso = new Date(t).toISOString();
    out.push({ time: t, label: intraday ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(0, 10) });
  }
  return out;
}

function fmt(v: number, step: number): string {
  const digits = step >= 1 ? 0 : Math.min(6, Math.ceil(-Math.log10(step)));
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

interface Panel {
  top: number;
  bottom: number;
  lo: number;
  hi: number;
}

export function pictureSvg(d: PictureData, width = 1000, height = 600): string {
  const left = 16;
  const right = width - 90;
  const eq: Panel = { top: 70, bottom: Math.round(height * 0.66), lo: Infinity, hi: -Infinity };
  const dd: Panel = { top: eq.bottom + 24, bottom: height - 40, lo: 0, hi: 0 };
  const all = [...d.equity, ...(d.benchmark ?? [])];
  for (const p of all) {
    eq.lo = Math.min(eq.lo, p.value);
    eq.hi = Math.max(eq.hi, p.value);
  }
  if (all.length === 0) [eq.lo, eq.hi] = [0, 1];
  const t0 = Math.min(...all.map((p) => p.time), Infinity);
  const t1 = Math.max(...all.map((p) => p.time), -Infinity);
  const x = (t: number) => left + (all.length === 0 || t1 === t0 ? 0 : ((t - t0) / (t1 - t0)) * (right - left));
  const eqTicks = niceTicks(eq.lo, eq.hi);
  [eq.lo, eq.hi] = [Math.min(eq.lo, eqTicks.ticks[0] ?? eq.lo), Math.max(eq.hi, eqTicks.ticks.at(-1) ?? eq.hi)];
  if (eq.hi === eq.lo) eq.hi = eq.lo + 1;
  let peak = -Infinity;
  const drawdown = d.equity.map((p) => {
    peak = Math.max(peak, p.value);
    return { time: p.time, value: peak > 0 ? ((p.value - peak) / peak) * 100 : 0 };
  });
  dd.lo = Math.min(-1, ...drawdown.map((p) => p.value));
  const ddTicks = niceTicks(dd.lo, 0, 3);
  dd.lo = Math.min(dd.lo, ddTicks.ticks[0] ?? dd.lo);
  const y = (pn: Panel, v: number) => pn.bottom - ((v - pn.lo) / (pn.hi - pn.lo)) * (pn.bottom - pn.top);
  const path = (pn: Panel, pts: readonly ChartPoint[]) =>
    pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.time).toFixed(1)},${y(pn, p.value).toFixed(1)}`).join('');
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="26" font-size="17" font-weight="bold" fill="${C.text}" ${FONT}>${esc(d.title)}</text>`,
  ];
  const hTicks = (pn: Panel, ticks: number[], label: (v: number) => string) => {
    for (const v of ticks) {
      const yy = y(pn, v).toFixed(1);
      out.push(`<line x1="${left}" y1="${yy}" x2="${right}" y2="${yy}" stroke="${C.grid}"/>`);
      out.push(
        `<text x="${right + 8}" y="${Number(yy) + 4}" font-size="12" fill="${C.muted}" ${FONT}>${esc(label(v))}</text>`,
      );
    }
  };
  hTicks(eq, eqTicks.ticks, (v) => fmt(v, eqTicks.step));
  hTicks(dd, ddTicks.ticks, (v) => `${fmt(v, ddTicks.step)}%`);
  for (const tk of all.length ? timeTicks(t0, t1) : []) {
    const xx = x(tk.time).toFixed(1);
    out.push(`<line x1="${xx}" y1="${eq.top}" x2="${xx}" y2="${dd.bottom}" stroke="${C.grid}"/>`);
    out.push(
      `<text x="${xx}" y="${dd.bottom + 18}" font-size="12" fill="${C.muted}" text-anchor="middle" ${FONT}>${tk.label}</text>`,
    );
  }
  for (const pn of [eq, dd])
    out.push(
      `<rect x="${left}" y="${pn.top}" width="${right - left}" height="${pn.bottom - pn.top}" fill="none" stroke="${C.axis}"/>`,
    );
  const zero = y(dd, 0).toFixed(1);
  const ddPath = path(dd, drawdown);
  if (drawdown.length > 0)
    out.push(
      `<path d="${ddPath}L${x(drawdown.at(-1)!.time).toFixed(1)},${zero}L${x(drawdown[0]!.time).toFixed(1)},${zero}Z" fill="${C.dd}" fill-opacity="0.25" stroke="${C.dd}" stroke-width="1"/>`,
    );
  if (d.benchmark?.length)
    out.push(
      `<path d="${path(eq, d.benchmark)}" fill="none" stroke="${C.bench}" stroke-width="1.2" stroke-dasharray="5 4"/>`,
    );
  out.push(`<path d="${path(eq, d.equity)}" fill="none" stroke="${C.equity}" stroke-width="2"/>`);
  for (const t of d.breaches ?? []) {
    const xx = x(Math.min(Math.max(t, t0), t1)).toFixed(1);
    out.push(`<path d="M${xx},${eq.top + 2}l-5,-9h10z" fill="${C.breach}"/>`);
  }
  const legend: Array<[string, string, string]> = [['equity', C.equity, '']];
  if (d.benchmark?.length) legend.push([d.benchmarkName ?? 'buy and hold', C.bench, ' stroke-dasharray="5 4"']);
  legend.push(['drawdown (% below peak)', C.dd, '']);
  if (d.breaches?.length) legend.push([`risk breach (${d.breaches.length})`, C.breach, '']);
  let lx = left;
  for (const [name, colour, dash] of legend) {
    out.push(`<line x1="${lx}" y1="50" x2="${lx + 22}" y2="50" stroke="${colour}" stroke-width="3"${dash}/>`);
    out.push(`<text x="${lx + 28}" y="54" font-size="13" fill="${C.text}" ${FONT}>${esc(name)}</text>`);
    lx += 40 + name.length * 8;
  }
  const last = d.equity.at(-1);
  if (last)
    out.push(
      `<text x="${right}" y="54" font-size="13" fill="${C.text}" text-anchor="end" ${FONT}>last ${esc(fmt(last.value, 0.01))}</text>`,
    );
  out.push('</svg>');
  return out.join('\n');
}
