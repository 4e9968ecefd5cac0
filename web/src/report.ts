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
  readonly equity: { time: number; value: number }[];
  readonly drawdown: { time: number; value: number }[];
}

/** Cumulative P&L at each exit (one point per second: trades closing together add up), and equity − its peak. */
export function curveOf(trades: readonly ReportTrade[]): Curve {
  const byTime = new Map<number, number>();
  for (const t of trades) {
    const time = Math.floor(Date.parse(t.exitTime) / 1000);
    if (Number.isFinite(time)) byTime.set(time, (byTime.get(time) ?? 0) + Number(t.pnl));
  }
  const equity: Curve['equity'] = [];
  const drawdown: Curve['drawdown'] = [];
  let total = 0;
  let peak = 0;
  for (const time of [...byTime.keys()].sort((a, b) => a - b)) {
    total += byTime.get(time)!;
    peak = Math.max(peak, total);
    equity.push({ time, value: round2(total) });
    drawdown.push({ time, value: round2(total - peak) });
  }
  return { equity, drawdown };
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
