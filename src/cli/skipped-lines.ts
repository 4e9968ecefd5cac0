/** The `--skip-bad` summary on stderr: how many lines were skipped, and which (the first few). */
import type { ReadStats } from '../adapters/eventlog/reader.ts';

/** Longest error text shown per skipped line (a whole JSON excerpt would drown the list). */
const ERROR_CHARS = 100;

/** `<command>: skipped N bad line(s): 4 (ERR_…: …), 9 (…), … and M more`, or undefined when none. */
export function skippedLinesSummary(command: string, stats: ReadStats): string | undefined {
  if (stats.skipped === 0) return undefined;
  const listed = stats.skippedLines.map(
    ({ line, error }) => `${line} (${error.length > ERROR_CHARS ? `${error.slice(0, ERROR_CHARS)}…` : error})`,
  );
  const rest = stats.skipped - listed.length;
  return `${command}: skipped ${stats.skipped} bad line(s): ${listed.join(', ')}${rest > 0 ? `, … and ${rest} more` : ''}`;
}
