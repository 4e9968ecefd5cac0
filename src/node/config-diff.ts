/**
 * The dotted paths at which two configs differ (`risk.rules.RULE-003.limit`), for the audit
 * trail of config changes: what an admin changed, without the whole config.
 */

/** Who changed the config and why, journaled with the change. */
export interface ConfigChangeAudit {
  readonly actor?: string;
  readonly reason?: string;
}

const MAX_PATHS = 50;

export function changedPaths(before: unknown, after: unknown): string[] {
  const out: string[] = [];
  walk(before, after, '', out);
  return out.sort().slice(0, MAX_PATHS);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function walk(a: unknown, b: unknown, prefix: string, out: string[]): void {
  if (isRecord(a) && isRecord(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)]))
      walk(a[key], b[key], prefix ? `${prefix}.${key}` : key, out);
    return;
  }
  // Leaves and lists compare whole: a changed list of blocked symbols is one change.
  if (JSON.stringify(a ?? null) !== JSON.stringify(b ?? null)) out.push(prefix || '(config)');
}
