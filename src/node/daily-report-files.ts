/**
 * Daily reports written at each trading-day reset (issue 18): when the node's trading day moves
 * on, the day that ended is reported for every account, as `<dir>/<account>/<date>.json`,
 * `.csv`, `.fills.csv` and `.html`. At start, the day before the current one is written when its
 * files are missing (a reset passed while the node was down).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors.ts';
import type { Logger } from './logger.ts';
import type { DailyReport } from './daily-report.ts';
import { dailyFillsCsv, dailyReportCsv, dailyReportHtml } from './daily-report-format.ts';

export interface ReportingNode {
  readonly accounts: readonly string[];
  readonly tradingDay: { label: string; start: number; end: number } | undefined;
  dailyReport(account: string, date?: string): DailyReport;
  /** The label of the trading day containing `t` (epoch ms). */
  dayLabelAt(t: number): string;
}

/** Writes the report files of one account and day; returns their paths. */
export function writeDailyReport(dir: string, r: DailyReport): string[] {
  const base = path.join(dir, safeName(r.account), r.date);
  const files: [string, string][] = [
    [`${base}.json`, JSON.stringify(r, null, 1) + '\n'],
    [`${base}.csv`, dailyReportCsv(r)],
    [`${base}.fills.csv`, dailyFillsCsv(r)],
    [`${base}.html`, dailyReportHtml(r)],
  ];
  try {
    mkdirSync(path.dirname(base), { recursive: true });
    for (const [file, text] of files) writeFileSync(file, text);
  } catch (err) {
    throw new AppError('ERR_FILE_WRITE', `daily report ${base}: ${(err as Error).message}`);
  }
  return files.map(([f]) => f);
}

/** Account names come from brokers and configs: keep them to one path segment. */
function safeName(account: string): string {
  return account.replace(/[^A-Za-z0-9._-]/g, '_');
}

export class DailyReportWriter {
  private lastLabel: string | undefined;

  constructor(
    private readonly node: ReportingNode,
    readonly dir: string,
    private readonly log: Logger,
  ) {}

  /** Writes the reports of a day that ended since the last check; returns the files written. */
  check(): string[] {
    const day = this.node.tradingDay;
    if (!day) return [];
    if (this.lastLabel === undefined) {
      this.lastLabel = day.label;
      return this.writeMissing(this.node.dayLabelAt(day.start - 1));
    }
    if (day.label === this.lastLabel) return [];
    const ended = this.lastLabel;
    this.lastLabel = day.label;
    return this.writeDay(ended);
  }

  writeDay(date: string): string[] {
    const out: string[] = [];
    for (const account of this.node.accounts) {
      try {
        out.push(...writeDailyReport(this.dir, this.node.dailyReport(account, date)));
      } catch (err) {
        this.log.error({ err, account, date }, `daily report ${account} ${date}: ${(err as Error).message}`);
      }
    }
    if (out.length) this.log.info({ date, files: out.length }, `daily reports for ${date} written to ${this.dir}`);
    return out;
  }

  /** A day that passed while the node was down: written for the accounts that traded or breached. */
  private writeMissing(date: string): string[] {
    const out: string[] = [];
    for (const account of this.node.accounts) {
      if (existsSync(path.join(this.dir, safeName(account), `${date}.json`))) continue;
      try {
        const r = this.node.dailyReport(account, date);
        if (r.trades > 0 || r.breaches.length > 0 || r.rejections.length > 0)
          out.push(...writeDailyReport(this.dir, r));
      } catch (err) {
        this.log.error({ err, account, date }, `daily report ${account} ${date}: ${(err as Error).message}`);
      }
    }
    return out;
  }
}

/** Checks every `everyMs` (default 1 s) for a reset; `stop()` ends it. */
export function startDailyReports(
  node: ReportingNode,
  dir: string,
  log: Logger,
  everyMs = 1000,
): { writer: DailyReportWriter; stop: () => void } {
  const writer = new DailyReportWriter(node, dir, log);
  writer.check();
  const timer = setInterval(() => writer.check(), everyMs);
  timer.unref();
  return { writer, stop: () => clearInterval(timer) };
}
