/** Reports: run a backtest on the bundled data (POST /api/v1/backtests, then poll), or open a report file. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, ruleName } from '../api.ts';
import { formatNumber } from '../format.ts';
import { capitalOf, curveOf, parseReport, type Report } from '../report.ts';
import type { Session } from '../session.ts';
import { useTheme } from '../theme.ts';
import { EquityChart } from './equity-chart.tsx';

const STRATEGIES = ['sma-cross', 'orb'];

interface Job {
  id: string;
  status: string;
  report?: Report;
  error?: { message?: string } | string;
}

function useBacktest(session: Session) {
  const [job, setJob] = useState<Job | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    if (!job || job.status === 'done' || job.status === 'failed') return;
    const t = setTimeout(async () => {
      try {
        setJob(await session.api.get<Job>(`/backtests/${job.id}`));
      } catch (err) {
        setError(String((err as Error).message));
      }
    }, 500);
    return () => clearTimeout(t);
  }, [job]);
  const run = async (body: Record<string, unknown>) => {
    setError(undefined);
    setJob(undefined);
    try {
      setJob(await session.api.post<Job>('/backtests', body));
    } catch (err) {
      setError(err instanceof ApiError ? `${err.code}: ${err.message}` : String(err));
    }
  };
  return { job, error, run };
}

export function ReportsPage({ session }: { session: Session }) {
  const { job, error, run } = useBacktest(session);
  const [strategy, setStrategy] = useState('sma-cross');
  const [withRules, setWithRules] = useState(true);
  const [opened, setOpened] = useState<Report | undefined>();
  const [fileError, setFileError] = useState<string | undefined>();
  const open = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (!file) return;
    try {
      setOpened(parseReport(await file.text()));
      setFileError(undefined);
    } catch (err) {
      setFileError(String((err as Error).message));
    }
  };
  const report = opened ?? (job?.status === 'done' ? job.report : undefined);
  return (
    <div class="reports">
      <h1 class="page-title">Reports</h1>
      <div class="grid">
        <section class="card" aria-labelledby="h-run">
          <h2 id="h-run">Run a backtest (bundled S&P 500 data)</h2>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setOpened(undefined);
              void run({ strategy, withRules });
            }}
          >
            <label>
              Strategy
              <select value={strategy} onChange={(e) => setStrategy((e.target as HTMLSelectElement).value)}>
                {STRATEGIES.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
            <label class="check">
              <input type="checkbox" checked={withRules} onChange={() => setWithRules(!withRules)} /> with the risk
              rules
            </label>
            <button type="submit" disabled={job !== undefined && job.status !== 'done' && job.status !== 'failed'}>
              Run backtest
            </button>
          </form>
          {job && (
            <p role="status" data-testid="backtest-status">
              Backtest {job.id}: {job.status}
              {job.status === 'failed' &&
                ` — ${typeof job.error === 'string' ? job.error : (job.error?.message ?? '')}`}
            </p>
          )}
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </section>
        <section class="card" aria-labelledby="h-open">
          <h2 id="h-open">Open a report</h2>
          <label>
            Report file (JSON of a replay or backtest)
            <input type="file" accept=".json,application/json" onChange={(e) => void open(e)} />
          </label>
          {fileError && (
            <p class="error" role="alert">
              {fileError}
            </p>
          )}
        </section>
      </div>
      {report && <ReportView report={report} />}
    </div>
  );
}

function ReportView({ report }: { report: Report }) {
  const theme = useTheme();
  const curve = curveOf(report.trades ?? [], capitalOf(report.stats));
  const breaches = report.breaches ?? [];
  const marks = breaches.map((b) => ({ time: Math.floor(Date.parse(b.ts) / 1000), text: b.rule }));
  return (
    <div class="grid report" data-testid="report">
      <section class="card" aria-label="Statistics">
        <h2>Statistics</h2>
        <dl class="stats">
          {Object.entries(report.stats ?? {}).map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd class="num">{typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(2)) : formatNumber(v)}</dd>
            </div>
          ))}
        </dl>
      </section>
      <EquityChart
        title={curve.capital > 0 ? 'Equity and drawdown' : 'Cumulative P&L and drawdown'}
        points={curve.equity}
        marks={marks}
        theme={theme}
        drawdown={curve.capital > 0}
        testid="report-equity"
      />
      {curve.capital === 0 && <EquityChart title="Drawdown" points={curve.drawdown} theme={theme} />}
      <section class="card" aria-label="First breach per day">
        <h2>First breach per day</h2>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>Day</th>
                <th>Rule</th>
                <th>Action</th>
                <th>Symbol</th>
              </tr>
            </thead>
            <tbody>
              {breaches.slice(0, 500).map((b) => (
                <tr key={`${b.day}-${b.rule}`}>
                  <td class="num">{b.day}</td>
                  <td>{ruleName(b.rule)}</td>
                  <td>{b.action.replace(/_/g, ' ')}</td>
                  <td>{b.symbol ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section class="card" aria-label="Trades">
        <h2>Trades ({report.trades?.length ?? 0})</h2>
        <div class="scroll">
          <table>
            <thead>
              <tr>
                <th>Exit</th>
                <th>Symbol</th>
                <th>Side</th>
                <th class="r">Qty</th>
                <th class="r">Entry</th>
                <th class="r">Exit</th>
                <th class="r">P&L</th>
              </tr>
            </thead>
            <tbody>
              {(report.trades ?? []).slice(0, 500).map((t, i) => (
                <tr key={i}>
                  <td class="num">{t.exitTime.slice(0, 10)}</td>
                  <td>{t.symbol}</td>
                  <td>{t.side}</td>
                  <td class="num">{formatNumber(t.qty)}</td>
                  <td class="num">{formatNumber(t.entryPrice)}</td>
                  <td class="num">{formatNumber(t.exitPrice)}</td>
                  <td class={`num ${t.pnl.startsWith('-') ? 'neg' : 'pos'}`}>{formatNumber(t.pnl)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
