/**
 * Loads and validates a YAML config. Every problem is reported by path (DESIGN §7).
 */
import { readFileSync } from 'node:fs';
import { parseDocument, type YAMLError } from 'yaml';
import { AppError } from '../errors.ts';
import { configSchema, type RawConfig } from './schema.ts';
import { issuePath, resolveRules, type ConfigProblem } from './rules.ts';

export interface LoadedConfig {
  raw: RawConfig;
  path?: string;
}

/**
 * A YAML syntax error as one line: `<file>:<line>:<column>` and the parser's message with the
 * offending line quoted (the nearest non-blank line above when that one is blank, e.g. at the end).
 */
export function yamlProblem(e: YAMLError, text: string, file = 'yaml'): ConfigProblem {
  const pos = e.linePos?.[0];
  const what = (e.message.split('\n')[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
  if (!pos) return { path: file, message: `${what} [${e.code}]` };
  const lines = text.split(/\r?\n/);
  let n = pos.line;
  while (n > 1 && (lines[n - 1] ?? '').trim() === '') n--;
  const excerpt = (lines[n - 1] ?? '').trimEnd();
  const shown = excerpt.length > 120 ? `${excerpt.slice(0, 120)}…` : excerpt;
  return {
    path: `${file}:${pos.line}:${pos.col}`,
    message: `${what} [${e.code}]${n === pos.line ? '' : ` near line ${n}`}: ${JSON.stringify(shown)}`,
  };
}

export function validateConfigText(text: string, file?: string): { config?: RawConfig; problems: ConfigProblem[] } {
  const doc = parseDocument(text, { intAsBigInt: false });
  const problems: ConfigProblem[] = doc.errors.map((e) => yamlProblem(e, text, file));
  if (problems.length) return { problems };
  const data = (doc.toJS() ?? {}) as Record<string, unknown>;
  const parsed = configSchema.safeParse(data);
  if (!parsed.success)
    problems.push(...parsed.error.issues.map((i) => ({ path: issuePath('', i) || '(root)', message: i.message })));
  // Rule configs are checked by each rule's own schema, even when the rest of the file is invalid,
  // so one run lists every problem.
  const rulesOf = (v: unknown): Record<string, unknown> | undefined => {
    const rules = (v as { risk?: { rules?: unknown } } | undefined)?.risk?.rules;
    return rules && typeof rules === 'object' ? (rules as Record<string, unknown>) : undefined;
  };
  const accounts = data.accounts && typeof data.accounts === 'object' ? (data.accounts as Record<string, unknown>) : {};
  const raw = {
    risk: { rules: rulesOf(data) ?? {} },
    accounts: Object.fromEntries(Object.entries(accounts).map(([k, v]) => [k, { risk: { rules: rulesOf(v) ?? {} } }])),
  };
  const lenient = raw as unknown as RawConfig;
  resolveRules(lenient, undefined, problems);
  for (const account of Object.keys(raw.accounts)) resolveRules(lenient, account, problems);
  const seen = new Set<string>();
  const unique = problems.filter((p) => (seen.has(p.path + p.message) ? false : (seen.add(p.path + p.message), true)));
  return parsed.success ? { config: parsed.data, problems: unique } : { problems: unique };
}

/** The text of a config file (ERR_CONFIG_NOT_FOUND naming it when it cannot be read). */
export function readConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EISDIR')
      throw new AppError('ERR_CONFIG_NOT_FOUND', `config file ${path} is a directory, not a file`);
    throw new AppError('ERR_CONFIG_NOT_FOUND', `config file not found: ${path}`);
  }
}

export function loadConfig(path: string | undefined): LoadedConfig {
  if (!path) return { raw: configSchema.parse({}) };
  const text = readConfigText(path);
  const { config, problems } = validateConfigText(text, path);
  if (!config || problems.length) {
    throw new AppError(
      'ERR_CONFIG_INVALID',
      `invalid config ${path}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`,
    );
  }
  return { raw: config, path };
}
