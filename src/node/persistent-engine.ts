/**
 * The persistent engine (DESIGN §1 invariant 3): the risk engine bound to a SQLite journal in a
 * data dir. Every event and decision is journaled; snapshots are written periodically; opening
 * the store IS crash recovery: latest snapshot + every journal record after it, re-applied through
 * the same code path (decisions are re-derived, and checked against the journaled ones).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { AppError } from '../errors.ts';
import { configSchema, type RawConfig } from '../config/schema.ts';
import { parseEvent, isoOf } from '../domain/events.ts';
import { createEngine } from '../engine/factory.ts';
import { step, type ReplayInput } from '../engine/step.ts';
import { applyAdmin, parseAdminCommand, type AdminCommand } from '../engine/admin.ts';
import { decisionJson, type Decision } from '../engine/decision.ts';
import { restoreEngine, snapshotEngine } from '../engine/snapshot.ts';
import { buildReport, type ReplayReport } from '../engine/report.ts';
import type { EngineMode, RiskEngine } from '../engine/risk-engine.ts';
import { openSqliteJournal, type SqliteJournal } from '../store/sqlite/journal.ts';
import { canonicalJson } from '../domain/canonical-json.ts';
import { changeConfig } from '../engine/config-change.ts';
import { DataDirLock } from './data-dir-lock.ts';
import { changedPaths, type ConfigChangeAudit } from './config-diff.ts';

export const CONFIG_META_KEY = 'config';
export const MODE_META_KEY = 'mode';
/** `simulated`: enforcement executed at the mark (ingest, like replay); `broker`: by the gateway. */
export const EXECUTION_META_KEY = 'execution';

export interface PersistentEngineOptions {
  /** Config for a new store; an existing store keeps the config it was created with unless `replaceConfig`. */
  config?: RawConfig;
  mode?: EngineMode;
  /** Write a snapshot every N journal records (default 50 000). */
  snapshotEvery?: number;
  /** Records appended are committed only by `commit()` (ingest commits its offset with them). */
  manualCommit?: boolean;
  /** For a new store: how enforcement is executed (default simulated, as in replay). */
  execution?: 'simulated' | 'broker';
  /** SQLite durability: FULL (default, survives power loss) or NORMAL (survives a process crash). */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * Read the store beside a running writer (status, report): no data-dir lock, nothing appended.
   * Writers (the default) take the data dir's lock (data-dir-lock.ts) for as long as it is open.
   */
  readOnly?: boolean;
  /** The command holding the data dir, shown to a second writer (default: this process's arguments). */
  owner?: string;
}

export function journalPath(dataDir: string): string {
  return path.join(dataDir, 'journal.db');
}

export class PersistentEngine {
  readonly engine: RiskEngine;
  readonly journal: SqliteJournal;
  readonly config: RawConfig;
  private readonly snapshotEvery: number;
  private lastSnapshotSeq = 0;
  /** Journal records replayed on open (recovery work done). */
  readonly recovered: { snapshotSeq: number; records: number };

  /** Enforcement executed at the mark inside `process` (no broker). */
  readonly simulate: boolean;

  private lock: DataDirLock | undefined;

  private constructor(
    engine: RiskEngine,
    journal: SqliteJournal,
    config: RawConfig,
    snapshotEvery: number,
    recovered: { snapshotSeq: number; records: number },
    simulate: boolean,
  ) {
    this.simulate = simulate;
    this.engine = engine;
    this.journal = journal;
    this.config = config;
    this.snapshotEvery = snapshotEvery;
    this.recovered = recovered;
    this.lastSnapshotSeq = recovered.snapshotSeq;
  }

  /** Opens (or creates) the store in `dataDir` and recovers the engine state. */
  static open(dataDir: string, opts: PersistentEngineOptions = {}): PersistentEngine {
    mkdirSync(dataDir, { recursive: true });
    const lock = opts.readOnly
      ? undefined
      : DataDirLock.acquire(dataDir, opts.owner ?? (process.argv.slice(2).join(' ') || 'riskgate'));
    let journal: SqliteJournal;
    try {
      journal = openSqliteJournal(journalPath(dataDir), {
        autoFlushEvery: opts.manualCommit ? 0 : 1000,
        synchronous: opts.synchronous ?? 'FULL',
      });
    } catch (err) {
      lock?.release();
      throw err;
    }
    try {
      const stored = journal.getMeta(CONFIG_META_KEY);
      let config: RawConfig;
      if (stored !== undefined) {
        config = configSchema.parse(parseYaml(stored));
        if (opts.config && JSON.stringify(opts.config) !== JSON.stringify(config)) {
          // The store's config defines how its history was decided; a different one would
          // re-derive different decisions on recovery.
          throw new AppError(
            'ERR_CONFIG_INVALID',
            `${dataDir} was created with a different configuration; use a new data dir (config changes are applied through the running service)`,
          );
        }
      } else if (opts.readOnly) {
        throw new AppError('ERR_FILE_NOT_FOUND', `no riskgate store in ${dataDir}`);
      } else {
        config = opts.config ?? configSchema.parse({});
        journal.setMeta(CONFIG_META_KEY, JSON.stringify(toJson(config)));
        journal.setMeta(MODE_META_KEY, opts.mode ?? 'shadow');
        journal.setMeta(EXECUTION_META_KEY, opts.execution ?? 'simulated');
        journal.flush();
      }
      const mode = (journal.getMeta(MODE_META_KEY) as EngineMode | undefined) ?? 'shadow';
      const engine = createEngine(config, mode);
      const snap = journal.latestSnapshot();
      let fromSeq = 1;
      if (snap) {
        restoreEngine(engine, snap.state as Record<string, unknown>);
        fromSeq = snap.seq + 1;
      }
      const simulate = journal.getMeta(EXECUTION_META_KEY) !== 'broker';
      const records = recover(engine, journal, fromSeq, simulate);
      const pe = new PersistentEngine(
        engine,
        journal,
        config,
        opts.snapshotEvery ?? 50_000,
        { snapshotSeq: snap?.seq ?? 0, records },
        simulate,
      );
      pe.lock = lock;
      return pe;
    } catch (err) {
      journal.close();
      lock?.release();
      throw err;
    }
  }

  /** One event through the engine, journaled (not yet committed when manualCommit). */
  process(input: ReplayInput): Decision[] {
    return step(this.engine, this.journal, input, undefined, this.simulate);
  }

  /** An admin lock/unlock, journaled and committed at once. */
  admin(cmd: AdminCommand): Decision[] {
    const decisions = applyAdmin(this.engine, cmd);
    const ts = isoOf(cmd.t);
    this.journal.append({
      ts,
      kind: 'admin',
      account: cmd.account,
      body: {
        action: cmd.action,
        account: cmd.account,
        reason: cmd.reason,
        t: cmd.t,
        ...(cmd.actor ? { actor: cmd.actor } : {}),
      },
    });
    for (const d of decisions)
      this.journal.append({ ts: d.ts < ts ? ts : d.ts, kind: 'decision', account: d.account, body: decisionJson(d) });
    this.commit();
    return decisions;
  }

  /** A config change (tighter now, looser at the next reset), journaled and committed. */
  changeConfig(next: RawConfig, t: number, audit: ConfigChangeAudit = {}): Decision[] {
    const before = this.engine.rawConfig ? toJson(this.engine.rawConfig) : undefined;
    const decisions = changeConfig(this.engine, next, t);
    const ts = isoOf(t);
    const config = toJson(next);
    // Who, why and the changed paths ride along for the audit trail; recovery reads only t and config.
    const changed = changedPaths(before, config);
    const reason = audit.reason ?? decisions.find((d) => d.account === '*')?.reason;
    this.journal.append({ ts, kind: 'config', body: { t, config, ...audit, ...(reason ? { reason } : {}), changed } });
    for (const d of decisions)
      this.journal.append({ ts: d.ts < ts ? ts : d.ts, kind: 'decision', account: d.account, body: decisionJson(d) });
    this.commit();
    return decisions;
  }

  /** Commits pending records (and meta, e.g. an ingest offset) in one transaction; snapshots when due. */
  commit(meta?: Record<string, string>): void {
    for (const [k, v] of Object.entries(meta ?? {})) this.journal.setMeta(k, v);
    this.journal.flush();
    const head = this.journal.head();
    if (head.seq - this.lastSnapshotSeq >= this.snapshotEvery) this.snapshot();
  }

  snapshot(): void {
    this.journal.flush();
    const head = this.journal.head();
    this.journal.writeSnapshot(head.seq, snapshotEngine(this.engine));
    this.lastSnapshotSeq = head.seq;
  }

  report(): ReplayReport {
    return buildReport(this.engine, this.engine.eventsProcessed, this.journal.head().hash);
  }

  close(): void {
    try {
      this.journal.close();
    } finally {
      this.lock?.release();
    }
  }
}

/**
 * Re-applies journal records from `fromSeq`: events and admin actions through the same code as
 * live; decision records are derived, so they are checked, not applied. A mismatch means the
 * store was written by different code or config: stop rather than trade on a state we cannot trust.
 */
function recover(engine: RiskEngine, journal: SqliteJournal, fromSeq: number, simulate: boolean): number {
  let records = 0;
  // Journal order per event: [timer decisions (t < event)] event [its other decisions]; an admin
  // action's decisions all follow it. Decision records seen since the last event/admin are
  // checked once the next one (or the end) tells which derived decisions they must equal.
  let seen: { seq: number; body: unknown }[] = [];
  let carried: Decision[] = [];
  const check = (derived: Decision[]): void => {
    if (derived.length !== seen.length) {
      throw new AppError(
        'ERR_ENGINE_INVARIANT',
        `journal around seq ${seen[0]?.seq ?? '?'}: recovery derived ${derived.length} decision(s), the journal holds ${seen.length}`,
      );
    }
    derived.forEach((d, i) => {
      if (canonicalJson(decisionJson(d)) !== canonicalJson(seen[i]!.body)) {
        throw new AppError(
          'ERR_ENGINE_INVARIANT',
          `journal seq ${seen[i]!.seq}: recovery derived a different decision (${d.rule} ${d.action}) than journaled`,
        );
      }
    });
    seen = [];
  };
  for (const rec of journal.iterate(fromSeq)) {
    records++;
    if (rec.kind === 'decision') {
      seen.push({ seq: rec.seq, body: rec.body });
    } else if (rec.kind === 'event') {
      const raw = rec.body as Record<string, unknown>;
      const event = parseEvent(raw);
      const derived = step(engine, NULL_JOURNAL, { event, raw }, undefined, simulate);
      const before = derived.filter((d) => d.t < event.t);
      check(carried.concat(before));
      carried = derived.slice(before.length);
    } else if (rec.kind === 'admin') {
      check(carried);
      carried = applyAdmin(engine, parseAdminCommand(rec.body));
    } else if (rec.kind === 'config') {
      check(carried);
      const body = rec.body as { t: number; config: unknown };
      carried = changeConfig(engine, configSchema.parse(body.config), body.t);
    }
  }
  check(carried);
  return records;
}

const NULL_JOURNAL = { append: () => undefined, head: () => ({ seq: 0, hash: '' }) };

/** A raw config as plain JSON (it holds no bigint, but be safe). */
function toJson(config: RawConfig): unknown {
  return JSON.parse(JSON.stringify(config, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
}
