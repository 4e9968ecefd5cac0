/**
 * `riskgate smoke` (DESIGN §5): boots the whole live system against the paper broker (SQLite
 * journal in a data dir, bundled S&P data as the market feed, the gateway in enforce mode) and
 * walks it through the 8 checkpoints, one log line each:
 *
 *   1 service start  2 config loaded  3 broker connected  4 rules initialized
 *   5 event loop running  6 event received  7 rule evaluated  8 enforcement triggered
 *
 * then waits until the enforcement is confirmed by the broker's own positions (dry run: journaled
 * with no broker call, the position untouched). To get there it acts as a trader: on the first
 * quote it buys 1 MES; the default config's tight RULE-004 (unrealized loss > 100) closes that
 * position as soon as the bundled data moves 20 points against it (the second bar: −56 points).
 * Exit codes: 0 all reached, 1 exception, 2 stalled (timeout), naming the last checkpoint.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { PaperBroker } from '../adapters/paper/index.ts';
import { loadConfig } from '../config/load.ts';
import { configSchema, type RawConfig } from '../config/schema.ts';
import { resolveRules } from '../config/rules.ts';
import { fromInt, parseFixed, ZERO, formatFixed } from '../domain/money.ts';
import { createEngine } from '../engine/factory.ts';
import { openSqliteJournal } from '../store/sqlite/journal.ts';
import { verifyJournal } from '../store/sqlite/verify.ts';
import { AppError, isAppError } from '../errors.ts';
import { Gateway } from './gateway.ts';
import { MarketFeed, ticksFromBars } from './market-feed.ts';

export const CHECKPOINTS = ['service start', 'config loaded', 'broker connected', 'rules initialized', 'event loop running', 'event received', 'rule evaluated', 'enforcement triggered'] as const;

export const SMOKE_CONFIG = `# riskgate smoke: one tight rule so an enforcement triggers within seconds.
timezone: America/Chicago
resetTime: "17:00"
risk:
  rules:
    RULE-004: { limit: "100" }
paper:
  accounts: [ { id: PAPER-1, balance: "50000" } ]
`;

const SP500 = fileURLToPath(new URL('../../data-bundled/sp500-2000.csv', import.meta.url));

export interface SmokeOptions {
  readonly timeoutMs: number;
  readonly dryRun?: boolean;
  readonly config?: string;
  readonly dataDir?: string;
  readonly intervalMs?: number;
  /** Test hook: stop driving the system once this checkpoint (1-8 or its name) is reached. */
  readonly stallAfter?: string;
  readonly symbol?: string;
}

export type SmokeExit = 0 | 1 | 2;

export async function runSmoke(opts: SmokeOptions, log: (line: string) => void): Promise<SmokeExit> {
  const stallAt = opts.stallAfter === undefined ? undefined : checkpointIndex(opts.stallAfter);
  const symbol = opts.symbol ?? 'MES';
  let reached = 0;
  let frozen = false;
  let finish!: (code: SmokeExit) => void;
  const done = new Promise<SmokeExit>((r) => (finish = r));
  const cleanups: (() => unknown)[] = [];

  const checkpoint = (n: number, detail: string): void => {
    if (frozen || n !== reached + 1) return;
    reached = n;
    log(`smoke: [${n}/${CHECKPOINTS.length}] ${CHECKPOINTS[n - 1]}: ${detail}`);
    if (stallAt !== undefined && n >= stallAt) frozen = true; // the hook: nothing drives the system any more
  };
  const fail = (err: unknown): void => {
    const why = isAppError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
    log(`smoke: FAILED (exception after checkpoint ${reached}/${CHECKPOINTS.length}${reached ? ` ${CHECKPOINTS[reached - 1]}` : ''}): ${why.replace(/\s*\n\s*/g, '; ')}`);
    finish(1);
  };
  const timer = setTimeout(() => {
    log(`smoke: STALLED after ${opts.timeoutMs} ms; last checkpoint reached: ${reached}/${CHECKPOINTS.length}${reached ? ` ${CHECKPOINTS[reached - 1]}` : ' (none)'}`);
    finish(2);
  }, opts.timeoutMs);
  cleanups.push(() => clearTimeout(timer));

  const boot = async (): Promise<void> => {
    const ownDir = opts.dataDir === undefined;
    const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'riskgate-smoke-'));
    mkdirSync(dataDir, { recursive: true });
    if (ownDir) cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    checkpoint(1, `pid ${process.pid}, node ${process.version}, data dir ${dataDir}${opts.dryRun ? ', dry run' : ''}`);

    const config: RawConfig = opts.config ? loadConfig(opts.config).raw : configSchema.parse(parse(SMOKE_CONFIG));
    const accounts = (config.paper?.accounts ?? [{ id: 'PAPER-1', balance: '50000' }]).map((a) => ({ id: a.id, balance: parseFixed(a.balance) }));
    const account = accounts[0]!.id;
    checkpoint(2, `${opts.config ?? 'built-in smoke config'} (timezone ${config.timezone}, reset ${config.resetTime})`);

    const broker = new PaperBroker({ accounts });
    await broker.connect();
    checkpoint(3, `paper broker, accounts ${accounts.map((a) => `${a.id} (${formatFixed(a.balance)})`).join(', ')}`);

    const engine = createEngine(config, 'enforce');
    const rules = resolveRules(config, account).map((r) => r.rule.id);
    if (rules.length === 0) throw new Error('no rule enabled: nothing could trigger an enforcement');
    checkpoint(4, `${rules.length} rule(s) for ${account}: ${rules.join(', ')} (enforce mode)`);

    const journalPath = path.join(dataDir, 'journal.db');
    const journal = openSqliteJournal(journalPath, { autoFlushEvery: 100 });
    cleanups.push(() => journal.close());
    let buying = false;
    let enforcementKey: string | undefined;
    const gw = new Gateway({
      engine,
      journal,
      broker,
      accounts: accounts.map((a) => a.id),
      now: Date.now,
      random: Math.random,
      dryRun: opts.dryRun ?? false,
      enforcement: { baseDelayMs: 100, maxDelayMs: 1000 },
      onError: fail,
      onEvent: (raw) => {
        if (raw.type !== 'quote' || frozen) return;
        checkpoint(6, `quote ${String(raw.symbol)} bid ${String(raw.bid)} ask ${String(raw.ask)} at ${String(raw.ts)}`);
        if (!buying && reached >= 6) {
          buying = true; // the smoke's trader opens a position on the first quote
          queueMicrotask(() => void gw.submitOrder({ account, symbol, side: 'buy', qty: fromInt(1), type: 'market', clientOrderId: 'smoke-entry' }).then((r) => r.status === 'rejected' && fail(new Error(`smoke entry order rejected: ${r.codes.join(', ')}`)), fail));
        }
      },
      onDecision: (d) => {
        if (d.kind === 'breach') checkpoint(7, `${d.rule} ${d.action}${d.symbol ? ` ${d.symbol}` : ''}: ${d.reason}`);
      },
      onEnforcement: (e, note) => {
        if (e.status === 'requested' && note === 'requested') {
          checkpoint(8, `${e.kind}${e.symbol ? ` ${e.symbol}` : ''} (${e.rule}), key ${e.key}, journaled before the broker call`);
          enforcementKey ??= e.key;
        }
        if (e.status === 'confirmed' && e.key === enforcementKey && !frozen && reached === CHECKPOINTS.length) {
          void confirm(broker, account, symbol, journal, journalPath, opts.dryRun ?? false).then((line) => {
            log(line);
            finish(0);
          }, fail);
        }
      },
    });
    cleanups.unshift(() => gw.stop());
    await gw.start();
    const feed = new MarketFeed({ broker, ticks: ticksFromBars(SP500), symbols: [symbol], now: Date.now, intervalMs: opts.intervalMs ?? 50 });
    const tick = setInterval(() => {
      if (frozen) return feed.stop();
      void gw.tick().catch(fail);
    }, 100);
    cleanups.unshift(() => clearInterval(tick), () => feed.stop());
    checkpoint(5, `gateway subscribed to the paper broker; market feed ${path.basename(SP500)} every ${opts.intervalMs ?? 50} ms; journal ${journalPath}`);
    if (!frozen) feed.start();
  };

  boot().catch(fail);
  const code = await done;
  for (const c of cleanups) {
    try {
      await c();
    } catch {
      // best effort: the verdict is already printed
    }
  }
  return code;
}

/** The last line: what the broker itself reports after the enforcement, and the journal check. */
async function confirm(broker: PaperBroker, account: string, symbol: string, journal: { flush(): unknown }, journalPath: string, dryRun: boolean): Promise<string> {
  journal.flush();
  const v = verifyJournal(journalPath);
  if (!v.ok) throw new Error(`journal verify failed at seq ${v.seq}: ${v.detail}`);
  const qty = (await broker.getPositions(account)).find((p) => p.symbol === symbol)?.qty ?? ZERO;
  if (dryRun) {
    if (qty === ZERO) throw new Error(`dry run, yet the broker position ${symbol} is flat`);
    return `smoke: ok: all ${CHECKPOINTS.length} checkpoints reached; enforcement confirmed (dry run): journaled, no broker call; broker position ${account} ${symbol} ${formatFixed(qty)} left open; journal ${v.records} records, chain intact`;
  }
  if (qty !== ZERO) throw new Error(`enforcement reported confirmed but the broker still holds ${formatFixed(qty)} ${symbol}`);
  return `smoke: ok: all ${CHECKPOINTS.length} checkpoints reached; enforcement confirmed by the broker: ${account} ${symbol} position 0, ${(await broker.searchOpenOrders(account)).length} working order(s); journal ${v.records} records, chain intact`;
}

function checkpointIndex(s: string): number {
  const n = Number(s);
  if (Number.isInteger(n) && n >= 1 && n <= CHECKPOINTS.length) return n;
  const i = CHECKPOINTS.indexOf(s.trim().toLowerCase() as (typeof CHECKPOINTS)[number]);
  if (i < 0) throw new AppError('ERR_INPUT_INVALID', `--stall-after: expected 1-${CHECKPOINTS.length} or one of ${CHECKPOINTS.join(', ')}`);
  return i + 1;
}
