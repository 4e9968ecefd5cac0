/** Runs `riskgate replay` on events and config written to a temp dir; returns the report and the decisions. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ReplayRun {
  report: {
    accounts: Record<
      string,
      {
        days: Record<
          string,
          {
            fills: number;
            netRealizedPnl: string;
            breaches: { rule: string; ts: string; action: string; symbol?: string; until?: string }[];
            rejections: { rule: string; ts: string; orderId: string }[];
          }
        >;
        positions: Record<string, { qty: number | string }>;
      }
    >;
  };
  decisions: {
    ts: string;
    kind: string;
    rule: string;
    action: string;
    until?: string;
    orderId?: string;
    outcomes: { kind: string; until?: string }[];
  }[];
}

export function replay(
  configYaml: string,
  events: Record<string, unknown>[],
  mode: 'shadow' | 'enforce' = 'shadow',
): ReplayRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'riskgate-rules-e2e-'));
  try {
    writeFileSync(path.join(dir, 'config.yaml'), configYaml);
    writeFileSync(path.join(dir, 'events.ndjson'), events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const out = path.join(dir, 'decisions.ndjson');
    const r = spawnSync(
      process.execPath,
      [
        path.join(repoRoot, 'bin/riskgate.mjs'),
        'replay',
        path.join(dir, 'events.ndjson'),
        '--config',
        path.join(dir, 'config.yaml'),
        '--mode',
        mode,
        '--report',
        'json',
        '--out',
        out,
      ],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(`riskgate replay exited ${r.status}: ${r.stderr}`);
    const decisions = readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as ReplayRun['decisions'][number]);
    return { report: JSON.parse(r.stdout) as ReplayRun['report'], decisions };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
