/**
 * One replay for the API (`POST /api/v1/replays`, DESIGN §5, §6): an uploaded event log through
 * a fresh risk engine under a config, the report being the JSON of `riskgate replay --report
 * json`; with `compare` (the old config) and `config` (the new one), the JSON of `riskgate replay
 * --config new --compare old --report json`. The events are read by the same reader as the CLI
 * (written to a temporary file first) and hashed by the same chain, so the report, hash
 * included, is the CLI's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { RawConfig } from '../config/schema.ts';
import { AppError } from '../errors.ts';

export type ReplayMode = 'shadow' | 'enforce';

export interface ReplayJobInput {
  /** The event log, NDJSON. */
  readonly events: string;
  readonly mode: ReplayMode;
  /** The config of the replay (the new one of a comparison); absent: no risk rules, as the CLI. */
  readonly config?: RawConfig;
  /** The old config of a comparison. */
  readonly compare?: RawConfig;
}

/** A validated config of a request body: YAML text or a JSON object, problems named by path. */
export async function checkReplayConfig(field: string, value: unknown): Promise<RawConfig> {
  const { validateConfigText } = await import('../config/load.ts');
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const { config, problems } = validateConfigText(text, `body.${field}`);
  if (!config || problems.length > 0) {
    const first = problems[0];
    const where = first?.path.startsWith('body.') ? first.path : `body.${field}${first ? `.${first.path}` : ''}`;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    throw new AppError('ERR_CONFIG_INVALID', `${where}: ${first?.message ?? 'invalid config'}${more}`);
  }
  return config;
}

type Progress = (done: number, total: number) => void;

async function replayReport(file: string, raw: RawConfig | undefined, mode: ReplayMode, progress: Progress) {
  const { configSchema } = await import('../config/schema.ts');
  const { createEngine } = await import('../engine/factory.ts');
  const { runReplay } = await import('../engine/replay.ts');
  const { buildReport } = await import('../engine/report.ts');
  const { eventBatches, newReadStats } = await import('../adapters/eventlog/reader.ts');
  const { MemoryChain } = await import('../store/memory-chain.ts');
  const engine = createEngine(raw ?? configSchema.parse({}), mode);
  // This job is a worker already: the reader and the hash chain stay on its thread (same head).
  const journal = new MemoryChain();
  const source = eventBatches(file, newReadStats(), { onProgress: progress, worker: false });
  const result = await runReplay(engine, source, { journal });
  return buildReport(engine, result.events, result.head.hash);
}

/** Runs a replay (or a comparison of two); the report as JSON text. */
export async function runReplayJob(input: ReplayJobInput, progress: Progress = () => {}): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-replay-'));
  const file = path.join(dir, 'events.ndjson');
  try {
    writeFileSync(file, input.events);
    const size = Buffer.byteLength(input.events);
    if (!input.compare) return JSON.stringify(await replayReport(file, input.config, input.mode, progress));
    // Two passes over the same file: progress counts both.
    const next = await replayReport(file, input.config, input.mode, (done) => progress(done, 2 * size));
    const prev = await replayReport(file, input.compare, input.mode, (done) => progress(size + done, 2 * size));
    const { compareReports } = await import('../engine/report-compare.ts');
    return JSON.stringify(compareReports(prev, next, input.mode));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
