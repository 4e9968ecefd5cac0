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
 * It drives the system only through the trading node's commands and bus. A config naming a venue
 * (ProjectX, …) runs the venue flow of venue-smoke.ts instead: dry run unless `liveOrders`.
 * Exit codes: 0 all reached, 1 exception, 2 stalled (timeout), naming the last checkpoint.
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import type { BrokerAdapter } from '../adapters/broker.ts';
import { loadConfig } from '../config/load.ts';
import { configSchema, type RawConfig } from '../config/schema.ts';
import { resolveRules } from '../config/rules.ts';
import { fromInt, ZERO, formatFixed } from '../domain/money.ts';
import { verifyJournal } from '../store/sqlite/verify.ts';
import { AppError, isAppError } from '../errors.ts';
import { BUNDLED_SP500 } from './bundled-data.ts';
import { TradingNode } from './node.ts';
import { journalPath } from './persistent-engine.ts';
import { namesVenue, runVenueSmoke } from './venue-smoke.ts';

export const CHECKPOINTS = [
  'service start',
  'config loaded',
  'broker connected',
  'rules initialized',
  'event loop running',
  'event received',
  'rule evaluated',
  'enforcement triggered',
] as const;

export const SMOKE_CONFIG = `# riskgate smoke: one tight rule so an enforcement triggers within seconds.
timezone: America/Chicago
resetTime: "17:00"
risk:
  rules:
    RULE-004: { limit: "100" }
paper:
  accounts: [ { id: PAPER-1, balance: "50000" } ]
`;

export interface SmokeOptions {
  readonly timeoutMs: number;
  readonly dryRun?: boolean;
  readonly config?: string;
  readonly dataDir?: string;
  readonly intervalMs?: number;
  /** Test hook: stop driving the system once this checkpoint (1-8 or its name) is reached. */
  readonly stallAfter?: string;
  readonly symbol?: string;
  /** A configured venue (not paper): place real orders (buy 1, then flatten it); default dry run. */
  readonly liveOrders?: boolean;
}

export type SmokeExit = 0 | 1 | 2;

export async function runSmoke(opts: SmokeOptions, log: (line: string) => void): Promise<SmokeExit> {
  const stallAt = opts.stallAfter === undefined ? undefined : checkpointIndex(opts.stallAfter);
  const symbol = opts.symbol ?? 'MES';
  let reached = 0;
  let frozen = false;
  let settle!: (code: SmokeExit) => void;
  const done = new Promise<SmokeExit>((r) => (settle = r));
  let verdict: SmokeExit | undefined;
  /** The first verdict wins; nothing is logged after it. */
  const finish = (code: SmokeExit, line: string): void => {
    if (verdict !== undefined) return;
    verdict = code;
    log(line);
    settle(code);
  };
  let removeDir: (() => void) | undefined;
  const cleanups: (() => unknown)[] = [];

  const checkpoint = (n: number, detail: string): void => {
    if (frozen || verdict !== undefined || n !== reached + 1) return;
    reached = n;
    log(`smoke: [${n}/${CHECKPOINTS.length}] ${CHECKPOINTS[n - 1]}: ${detail}`);
    if (stallAt !== undefined && n >= stallAt) frozen = true; // the hook: nothing drives the system any more
  };
  const fail = (err: unknown): void => {
    const why = isAppError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
    finish(
      1,
      `smoke: FAILED (exception after checkpoint ${reached}/${CHECKPOINTS.length}${reached ? ` ${CHECKPOINTS[reached - 1]}` : ''}): ${why.replace(/\s*\n\s*/g, '; ')}`,
    );
  };
  const timer = setTimeout(() => {
    finish(
      2,
      `smoke: STALLED after ${opts.timeoutMs} ms; last checkpoint reached: ${reached}/${CHECKPOINTS.length}${reached ? ` ${CHECKPOINTS[reached - 1]}` : ' (none)'}`,
    );
  }, opts.timeoutMs);
  cleanups.push(() => clearTimeout(timer));

  const boot = async (): Promise<void> => {
    const ownDir = opts.dataDir === undefined;
    const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'riskgate-smoke-'));
    mkdirSync(dataDir, { recursive: true });
    if (ownDir) removeDir = () => rmSync(dataDir, { recursive: true, force: true });
    checkpoint(1, `pid ${process.pid}, node ${process.version}, data dir ${dataDir}${opts.dryRun ? ', dry run' : ''}`);

    const config: RawConfig = opts.config ? loadConfig(opts.config).raw : configSchema.parse(parse(SMOKE_CONFIG));
    checkpoint(2, `${opts.config ?? 'built-in smoke config'} (timezone ${config.timezone}, reset ${config.resetTime})`);

    const venue = namesVenue(config);
    if (opts.liveOrders && !venue)
      throw new AppError(
        'ERR_INPUT_INVALID',
        '--live-orders: only with a config naming a venue (the paper smoke trades anyway)',
      );
    const node = await TradingNode.build({
      config,
      configGiven: true,
      dataDir,
      owner: 'smoke',
      random: Math.random,
      dryRun: venue ? !opts.liveOrders : (opts.dryRun ?? false),
      feed: { symbols: [symbol], intervalMs: opts.intervalMs ?? 50 },
      tickMs: 100,
      enforcement: { baseDelayMs: 100, maxDelayMs: 1000 },
      onError: fail,
    });
    cleanups.unshift(() => node.stop('smoke done'));
    if (verdict !== undefined) return void (await node.stop('smoke already decided')); // stalled while building
    if (venue)
      return runVenueSmoke({
        node,
        config,
        symbol,
        liveOrders: opts.liveOrders ?? false,
        checkpoint,
        reached: () => reached,
        frozen: () => frozen,
        fail,
        finish: (line) => finish(0, line),
      });
    const rt = node.live!;
    const account = rt.accounts[0];
    if (!account) throw new AppError('ERR_CONFIG_INVALID', 'the broker serves no account');
    await rt.broker.connect();
    checkpoint(3, `${rt.brokerKind} broker, accounts ${rt.accounts.join(', ')}`);

    const rules = resolveRules(config, account).map((r) => r.rule.id);
    if (rules.length === 0)
      throw new AppError('ERR_CONFIG_INVALID', 'no rule enabled: nothing could trigger an enforcement');
    checkpoint(4, `${rules.length} rule(s) for ${account}: ${rules.join(', ')} (${node.mode} mode)`);

    let buying = false;
    let enforcementKey: string | undefined;
    node.bus.subscribe((m) => {
      if (frozen) return;
      if (m.channel === 'quotes') {
        checkpoint(6, `quote ${m.symbol} bid ${String(m.data.bid)} ask ${String(m.data.ask)} at ${m.ts}`);
        if (frozen) return rt.feed?.stop();
        if (buying) return;
        buying = true; // the smoke's trader opens a position on the first quote
        queueMicrotask(
          () =>
            void node
              .submitOrder({
                account,
                symbol,
                side: 'buy',
                qty: fromInt(1),
                type: 'market',
                clientOrderId: 'smoke-entry',
              })
              .then(
                (r) => r.status === 'rejected' && fail(new Error(`smoke entry order rejected: ${r.codes.join(', ')}`)),
                fail,
              ),
        );
      } else if (m.channel === 'violations' && m.data.kind === 'breach') {
        checkpoint(
          7,
          `${String(m.data.rule)} ${String(m.data.action)}${m.data.symbol ? ` ${String(m.data.symbol)}` : ''}: ${String(m.data.reason)}`,
        );
      } else if (m.channel === 'enforcements') {
        const e = m.data as { key: string; kind: string; rule: string; status: string; note: string; symbol?: string };
        if (e.status === 'requested' && e.note === 'requested') {
          checkpoint(
            8,
            `${e.kind}${e.symbol ? ` ${e.symbol}` : ''} (${e.rule}), key ${e.key}, journaled before the broker call`,
          );
          enforcementKey ??= e.key;
        }
        if (e.status === 'confirmed' && e.key === enforcementKey && reached === CHECKPOINTS.length) {
          void confirm(rt.broker, account, symbol, node, opts.dryRun ?? false).then((line) => finish(0, line), fail);
        }
      }
    });
    await node.start({ feed: false });
    if (verdict !== undefined) return void (await node.stop('smoke already decided'));
    checkpoint(
      5,
      `gateway subscribed to the ${rt.brokerKind} broker, reconciled; market feed ${path.basename(BUNDLED_SP500)} every ${opts.intervalMs ?? 50} ms; journal ${journalPath(dataDir)}`,
    );
    if (!frozen) rt.feed?.start();
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
  removeDir?.();
  return code;
}

/** The last line: what the broker itself reports after the enforcement, and the journal check. */
async function confirm(
  broker: BrokerAdapter,
  account: string,
  symbol: string,
  node: TradingNode,
  dryRun: boolean,
): Promise<string> {
  node.commit();
  const file = journalPath(node.dataDir);
  const v = verifyJournal(file);
  if (!v.ok) throw new Error(`journal verify failed at seq ${v.seq}: ${v.detail}`);
  const qty = (await broker.getPositions(account)).find((p) => p.symbol === symbol)?.qty ?? ZERO;
  if (dryRun) {
    if (qty === ZERO) throw new Error(`dry run, yet the broker position ${symbol} is flat`);
    return `smoke: ok: all ${CHECKPOINTS.length} checkpoints reached; enforcement confirmed (dry run): journaled, no broker call; broker position ${account} ${symbol} ${formatFixed(qty)} left open; journal ${v.records} records, chain intact`;
  }
  if (qty !== ZERO)
    throw new Error(`enforcement reported confirmed but the broker still holds ${formatFixed(qty)} ${symbol}`);
  return `smoke: ok: all ${CHECKPOINTS.length} checkpoints reached; enforcement confirmed by the broker: ${account} ${symbol} position 0, ${(await broker.searchOpenOrders(account)).length} working order(s); journal ${v.records} records, chain intact`;
}

function checkpointIndex(s: string): number {
  const n = Number(s);
  if (Number.isInteger(n) && n >= 1 && n <= CHECKPOINTS.length) return n;
  const i = CHECKPOINTS.indexOf(s.trim().toLowerCase() as (typeof CHECKPOINTS)[number]);
  if (i < 0)
    throw new AppError(
      'ERR_INPUT_INVALID',
      `--stall-after: expected 1-${CHECKPOINTS.length} or one of ${CHECKPOINTS.join(', ')}`,
    );
  return i + 1;
}
