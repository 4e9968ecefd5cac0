/**
 * Boots the live gateway against the real paper broker with a manual clock and a journal that
 * keeps its records, for end-to-end scenarios (given quotes and orders, when …, then broker state).
 */
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.ts';
import { createEngine } from '../../src/engine/factory.ts';
import type { Decision } from '../../src/engine/decision.ts';
import type { JournalEntryLike, JournalSink } from '../../src/engine/journal-port.ts';
import { MemoryChain } from '../../src/store/memory-chain.ts';
import { PaperBroker } from '../../src/adapters/paper/index.ts';
import type { BrokerAdapter } from '../../src/adapters/broker.ts';
import { fromInt, parseFixed } from '../../src/domain/money.ts';
import { Gateway, type GatewayOptions } from '../../src/node/gateway.ts';

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

/** A journal sink that keeps every record (and the same hash chain as the stores). */
export class RecordingJournal implements JournalSink {
  readonly entries: JournalEntryLike[] = [];
  private readonly chain = new MemoryChain();
  append(entry: JournalEntryLike): void {
    if (this.entries.length && entry.ts < this.entries[this.entries.length - 1]!.ts) throw new Error(`journal ts went backwards: ${entry.ts}`);
    this.entries.push(entry);
    this.chain.append(entry);
  }
  head(): { seq: number; hash: string } {
    return this.chain.head();
  }
  of(kind: string): Record<string, unknown>[] {
    return this.entries.filter((e) => e.kind === kind).map((e) => e.body as Record<string, unknown>);
  }
}

export interface Rig {
  gw: Gateway;
  paper: PaperBroker;
  clock: ManualClock;
  journal: RecordingJournal;
  decisions: Decision[];
  errors: unknown[];
  quote(symbol: string, bid: string, ask: string): void;
}

export async function boot(configYaml: string, opts: { start: string; broker?: (paper: PaperBroker) => BrokerAdapter; gateway?: Partial<GatewayOptions> }): Promise<Rig> {
  const config = configSchema.parse(parse(configYaml) ?? {});
  const engine = createEngine(config, 'enforce');
  const paper = new PaperBroker({ accounts: [{ id: 'A1', balance: fromInt(50000) }] });
  const clock = new ManualClock(opts.start);
  const journal = new RecordingJournal();
  const decisions: Decision[] = [];
  const errors: unknown[] = [];
  const gw = new Gateway({
    engine,
    journal,
    broker: opts.broker ? opts.broker(paper) : paper,
    accounts: ['A1'],
    now: clock.now,
    random: () => 0.5,
    onDecision: (d) => decisions.push(d),
    onError: (e) => errors.push(e),
    ...opts.gateway,
  });
  await gw.start();
  return {
    gw,
    paper,
    clock,
    journal,
    decisions,
    errors,
    quote(symbol, bid, ask) {
      paper.feedQuote({ symbol, ts: clock.now(), bid: parseFixed(bid), ask: parseFixed(ask), last: parseFixed(bid) });
    },
  };
}

export const qty = (n: number): bigint => fromInt(n);
