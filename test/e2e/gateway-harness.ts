/**
 * Boots a trading node (src/node/node.ts) for end-to-end scenarios: a temp data dir, the real
 * paper broker injected (or a fault-injecting wrapper around it), a manual clock, no market feed,
 * and timers slow enough that the test drives time itself (`node.tick()`, `node.reconcile()`).
 * Scenarios act through node commands and the venue (quotes, orders placed at the paper venue
 * directly, its account state) and read node queries, the journal and the bus.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.ts';
import { PaperBroker } from '../../src/adapters/paper/index.ts';
import type { BrokerAdapter } from '../../src/adapters/broker.ts';
import { fromInt, parseFixed } from '../../src/domain/money.ts';
import type { BusMessage } from '../../src/node/bus.ts';
import { TradingNode, type TradingNodeOptions } from '../../src/node/node.ts';
import type { RiskView } from '../../src/node/queries.ts';

export class ManualClock {
  t: number;
  constructor(iso: string) {
    this.t = Date.parse(iso);
  }
  readonly now = (): number => this.t;
  set(iso: string): void {
    this.t = Date.parse(iso);
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A journal record's body (an event, a decision, an enforcement step, an alert, a trading state). */
export type Body = Readonly<Record<string, unknown>>;

export interface BootOptions {
  readonly start: string;
  /** Wraps the paper venue in the broker the node talks to (fault injection). */
  readonly broker?: (paper: PaperBroker) => BrokerAdapter;
  readonly node?: Pick<TradingNodeOptions, 'enforcement' | 'dryRun' | 'newOrderLane' | 'mode'>;
}

export interface Rig {
  readonly node: TradingNode;
  /** The venue: its quotes, orders placed in its own UI, and the broker-side truth. */
  readonly paper: PaperBroker;
  /** What the node talks to: the paper broker or the wrapper around it. */
  readonly broker: BrokerAdapter;
  readonly clock: ManualClock;
  readonly dataDir: string;
  /** Everything the node published on its bus. */
  readonly messages: BusMessage[];
  /** Operational errors the node reported. */
  readonly errors: unknown[];
  quote(symbol: string, bid: string, ask: string): void;
  /** Journal bodies of one kind, oldest first. */
  records(kind: string): Body[];
  /** Decision records (breaches, rejections, unlocks, …), oldest first. */
  decisions(): Body[];
  state(account?: string): RiskView['state'];
  /**
   * Drains and stops the node, then builds and starts a new one on the same data dir and venue;
   * `whileDown` runs in between (the venue goes on without riskgate).
   */
  restart(whileDown?: () => Promise<void>): Promise<Rig>;
}

const EVERYTHING = Number.MAX_SAFE_INTEGER;
/** Timers far beyond any scenario: the test fires them with `node.tick()` and `node.reconcile()`. */
const MANUAL_MS = 24 * 3_600_000;

export async function boot(t: TestContext, configYaml: string, opts: BootOptions): Promise<Rig> {
  const parsed = (parse(configYaml) ?? {}) as Record<string, unknown>;
  const config = configSchema.parse({ paper: { accounts: [{ id: 'A1', balance: '50000' }] }, ...parsed });
  const paper = new PaperBroker({ accounts: [{ id: 'A1', balance: fromInt(50000) }] });
  const broker = opts.broker ? opts.broker(paper) : paper;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rg-gw-e2e-'));
  const parts: Parts = {
    config,
    paper,
    broker,
    dataDir,
    clock: new ManualClock(opts.start),
    node: opts.node ?? {},
    nodes: [],
    errors: [],
  };
  // Every scenario ends drained and without an operational error (a journal record out of order, a failed callback).
  t.after(async () => {
    for (const node of parts.nodes) await node.stop('test end');
    rmSync(dataDir, { recursive: true, force: true });
    assert.deepEqual(parts.errors.map(String), [], 'operational errors reported by the node');
  });
  return start(parts);
}

interface Parts {
  readonly config: ReturnType<typeof configSchema.parse>;
  readonly paper: PaperBroker;
  readonly broker: BrokerAdapter;
  readonly dataDir: string;
  readonly clock: ManualClock;
  readonly node: NonNullable<BootOptions['node']>;
  /** Every node built on the data dir (one per restart). */
  readonly nodes: TradingNode[];
  readonly errors: unknown[];
}

async function start(parts: Parts): Promise<Rig> {
  const { paper, broker, dataDir, clock, errors } = parts;
  const messages: BusMessage[] = [];
  const node = await TradingNode.build({
    config: parts.config,
    dataDir,
    now: clock.now,
    broker,
    feed: false,
    random: () => 0.5,
    tickMs: MANUAL_MS,
    reconcileMs: MANUAL_MS,
    onError: (e) => errors.push(e),
    ...parts.node,
  });
  parts.nodes.push(node);
  node.bus.subscribe((m) => messages.push(m));
  await node.start({ feed: false });
  const records = (kind: string): Body[] => node.journal({ kind, limit: EVERYTHING }).map((r) => r.body);
  return {
    node,
    paper,
    broker,
    clock,
    dataDir,
    messages,
    errors,
    quote(symbol, bid, ask) {
      paper.feedQuote({ symbol, ts: clock.now(), bid: parseFixed(bid), ask: parseFixed(ask), last: parseFixed(bid) });
    },
    records,
    decisions: () => records('decision'),
    state: (account = 'A1') => {
      const risk = node.queries.risk(account);
      if (!risk) throw new Error(`no account ${account} in the node`);
      return risk.state;
    },
    async restart(whileDown) {
      await node.stop('restart');
      await whileDown?.();
      return start(parts);
    },
  };
}

export const qty = (n: number): bigint => fromInt(n);
