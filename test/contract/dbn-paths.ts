/** Where the shared DBN fixtures live: `shared/` sits beside the repo clone (CI and worktrees). */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DBN_DATA = path.resolve(REPO_ROOT, '../shared/data/dbn');

export interface ManifestEntry {
  file: string;
  expected: string;
  metadata: string | null;
  zstd: boolean;
  fragment: boolean;
  dbn_version: 1 | 2 | 3;
  dataset: string | null;
  schema: string | null;
  ts_out: boolean;
  record_count: number;
  rtypes: number[];
  metadata_len_bytes: number;
  decompressed_bytes: number;
}

export function loadManifest(): ManifestEntry[] {
  return JSON.parse(readFileSync(path.join(DBN_DATA, 'expected/manifest.json'), 'utf8')) as ManifestEntry[];
}

export function dbnPath(relative: string): string {
  return path.join(DBN_DATA, relative);
}
