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

/** About `count` round tick values within [lo, hi] (steps of 1, 2, 2.5 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, count = 5): { ticks: number[]; step: number } {
  if (!(hi > lo)) hi = lo + 1;
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
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

/** Where things go: the plot spans [left, right] in x, each panel its own [top, bottom]. */
interface Frame {
  left: number;
  right: number;
  x: (t: number) => number;
  y: (pn: Panel, v: number) => number;
  out: string[];
}

function text(x: number | string, y: number | string, body: string, attrs = ''): string {
  return `<text x="${x}" y="${y}" font-size="12" fill="${C.muted}" ${FONT}${attrs ? ` ${attrs}` : ''}>${esc(body)}</text>`;
}

function path(f: Frame, pn: Panel, pts: readonly ChartPoint[]): string {
  return pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${f.x(p.time).toFixed(1)},${f.y(pn, p.value).toFixed(1)}`).join('');
}

/** Grid lines and labels of a panel's value axis (right side), and its frame. */
function valueAxis(f: Frame, pn: Panel, ticks: readonly number[], label: (v: number) => string): void {
  for (const v of ticks) {
    const yy = f.y(pn, v).toFixed(1);
    f.out.push(`<line x1="${f.left}" y1="${yy}" x2="${f.right}" y2="${yy}" stroke="${C.grid}"/>`);
    f.out.push(text(f.right + 8, Number(yy) + 4, label(v)));
  }
  f.out.push(
    `<rect x="${f.left}" y="${pn.top}" width="${f.right - f.left}" height="${pn.bottom - pn.top}" fill="none" stroke="${C.axis}"/>`,
  );
}

/** Vertical grid lines through both panels and the dates under the lower one. */
function timeAxis(f: Frame, t0: number, t1: number, top: number, bottom: number): void {
  for (const tk of timeTicks(t0, t1)) {
    const xx = f.x(tk.time);
    f.out.push(`<line x1="${xx.toFixed(1)}" y1="${top}" x2="${xx.toFixed(1)}" y2="${bottom}" stroke="${C.grid}"/>`);
    // A label that would stick out past the plot is left off (the grid line stays).
    if (xx < f.left + 36 || xx > f.right - 36) continue;
    f.out.push(text(xx.toFixed(1), bottom + 18, tk.label, 'text-anchor="middle"'));
  }
}

function legend(f: Frame, d: PictureData): void {
  const entries: Array<[string, string]> = [['equity', C.equity]];
  if (d.benchmark?.length) entries.push([d.benchmarkName ?? 'buy and hold', C.bench]);
  entries.push(['drawdown (% below peak)', C.dd]);
  let lx = f.left;
  for (const [name, colour] of entries) {
    f.out.push(`<line x1="${lx}" y1="50" x2="${lx + 22}" y2="50" stroke="${colour}" stroke-width="3"/>`);
    f.out.push(`<text x="${lx + 28}" y="54" font-size="13" fill="${C.text}" ${FONT}>${esc(name)}</text>`);
    lx += 44 + name.length * 7.5;
  }
  if (d.breaches?.length) {
    f.out.push(`<path d="M${lx + 11},55l-6,-10h12z" fill="${C.breach}"/>`);
    f.out.push(
      `<text x="${lx + 24}" y="54" font-size="13" fill="${C.text}" ${FONT}>risk breach (${d.breaches.length})</text>`,
    );
  }
}

function drawdownOf(equity: readonly ChartPoint[]): ChartPoint[] {
  let peak = -Infinity;
  return equity.map((p) => {
    peak = Math.max(peak, p.value);
    return { time: p.time, value: peak > 0 ? ((p.value - peak) / peak) * 100 : 0 };
  });
}

export function pictureSvg(d: PictureData, width = 1000, height = 600): string {
  const all = [...d.equity, ...(d.benchmark ?? [])];
  const values = all.map((p) => p.value);
  const eqTicks = niceTicks(Math.min(...values, Infinity), Math.max(...values, -Infinity));
  const eq: Panel = { top: 70, bottom: Math.round(height * 0.66), lo: Math.min(...values), hi: Math.max(...values) };
  if (all.length === 0 || eq.hi === eq.lo) [eq.lo, eq.hi] = [eqTicks.ticks[0] ?? 0, eqTicks.ticks.at(-1) ?? 1];
  const drawdown = drawdownOf(d.equity);
  const ddLow = Math.min(-0.01, ...drawdown.map((p) => p.value));
  const ddTicks = niceTicks(ddLow, 0, 3);
  const dd: Panel = { top: eq.bottom + 24, bottom: height - 40, lo: ddLow, hi: 0 };
  const t0 = Math.min(...all.map((p) => p.time));
  const t1 = Math.max(...all.map((p) => p.time));
  const left = 16;
  const right = width - 90;
  const f: Frame = {
    left,
    right,
    x: (t) => left + (t1 > t0 ? ((t - t0) / (t1 - t0)) * (right - left) : 0),
    y: (pn, v) => pn.bottom - ((v - pn.lo) / (pn.hi - pn.lo)) * (pn.bottom - pn.top),
    out: [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
      `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
      `<text x="${left}" y="26" font-size="17" font-weight="bold" fill="${C.text}" ${FONT}>${esc(d.title)}</text>`,
    ],
  };
  valueAxis(
    f,
    eq,
    eqTicks.ticks.filter((v) => v >= eq.lo && v <= eq.hi),
    (v) => fmt(v, eqTicks.step),
  );
  valueAxis(
    f,
    dd,
    ddTicks.ticks.filter((v) => v >= dd.lo),
    (v) => `${fmt(v, ddTicks.step)}%`,
  );
  if (all.length > 0) timeAxis(f, t0, t1, eq.top, dd.bottom);
  if (drawdown.length > 0) {
    const zero = f.y(dd, 0).toFixed(1);
    const close = `L${f.x(drawdown.at(-1)!.time).toFixed(1)},${zero}L${f.x(drawdown[0]!.time).toFixed(1)},${zero}Z`;
    f.out.push(
      `<path d="${path(f, dd, drawdown)}${close}" fill="${C.dd}" fill-opacity="0.25" stroke="${C.dd}" stroke-width="1"/>`,
    );
  }
  if (d.benchmark?.length)
    f.out.push(`<path d="${path(f, eq, d.benchmark)}" fill="none" stroke="${C.bench}" stroke-width="1"/>`);
  f.out.push(`<path d="${path(f, eq, d.equity)}" fill="none" stroke="${C.equity}" stroke-width="2"/>`);
  for (const t of all.length > 0 ? (d.breaches ?? []) : [])
    f.out.push(
      `<path d="M${f.x(Math.min(Math.max(t, t0), t1)).toFixed(1)},${eq.top + 1}l-5,-9h10z" fill="${C.breach}"/>`,
    );
  legend(f, d);
  const last = d.equity.at(-1);
  if (last)
    f.out.push(
      `<text x="${right}" y="26" font-size="13" fill="${C.text}" text-anchor="end" ${FONT}>last ${esc(fmt(last.value, 0.01))}</text>`,
    );
  f.out.push('</svg>');
  return f.out.join('\n');
}
