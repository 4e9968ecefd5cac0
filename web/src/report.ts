/**
 * A replay or backtest report as the Reports page shows it: the equity curve (cumulative P&L of the
 * trades at their exits), its drawdown, and the first breach of each day.
 */
export interface ReportTrade {
  readonly symbol: string;
  readonly side: string;
  readonly qty: number | string;
  readonly entryTime: string;
  readonly entryPrice: string;
  readonly exitTime: string;
  readonly exitPrice: string;
  readonly pnl: string;
}

export interface ReportBreach {
  readonly day: string;
  readonly rule: string;
  readonly ts: string;
  readonly action: string;
  readonly symbol?: string;
}

export interface Report {
  readonly trades?: readonly ReportTrade[];
  readonly breaches?: readonly ReportBreach[];
  readonly rejections?: readonly unknown[];
  readonly stats?: Readonly<Record<string, number | string>>;
}

export interface Curve {
  /** Starting capital (0 when the report does not tell it). */
  readonly capital: number;
  readonly equity: { time: number; value: number }[];
  /** Equity − its running peak, in money. */
  readonly drawdown: { time: number; value: number }[];
}

/** The starting capital a report implies: net P&L over total return; 0 when it does not say. */
export function capitalOf(stats: Report['stats']): number {
  const net = Number(stats?.netPnl);
  const pct = Number(stats?.totalReturnPct);
  return Number.isFinite(net) && Number.isFinite(pct) && pct !== 0 ? Math.round((net / pct) * 100) : 0;
}

/** Capital plus cumulative P&L at each exit (trades closing in the same second add up), and its drawdown. */
export function curveOf(trades: readonly ReportTrade[], capital = 0): Curve {
  const byTime = new Map<number, number>();
  for (const t of trades) {
    const time = Math.floor(Date.parse(t.exitTime) / 1000);
    if (Number.isFinite(time)) byTime.set(time, (byTime.get(time) ?? 0) + Number(t.pnl));
  }
  const equity: Curve['equity'] = [];
  const drawdown: Curve['drawdown'] = [];
  let total = capital;
  let peak = capital;
  for (const time of [...byTime.keys()].sort((a, b) => a - b)) {
    total += byTime.get(time)!;
    peak = Math.max(peak, total);
    equity.push({ time, value: round2(total) });
    drawdown.push({ time, value: round2(total - peak) });
  }
  return { capital, equity, drawdown };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** A report from an uploaded file: a backtest job answer (`{report}`) or a bare report. */
export function parseReport(text: string): Report {
  const json = JSON.parse(text) as Record<string, unknown>;
  const r = (json.report && typeof json.report === 'object' ? json.report : json) as Report;
  if (!Array.isArray(r.trades) && !Array.isArray(r.breaches))
    throw new Error('not a riskgate report: expected "trades" or "breaches"');
  return r;
}
