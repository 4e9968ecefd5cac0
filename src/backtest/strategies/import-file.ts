/**
 * Imports a user's module file (a strategy), wherever it is on disk. TypeScript files go through
 * tsx's `tsImport`, loaded only then: the built CLI runs JavaScript and has no TypeScript loader of
 * its own, and a file outside this package (no `"type": "module"` above it) is compiled as CommonJS,
 * so its exports arrive as `default` (marked `__esModule`); they are unwrapped here.
 */
import { pathToFileURL } from 'node:url';

const TS_FILE = /\.[cm]?ts$/;

export async function importFile(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  if (!TS_FILE.test(file)) return (await import(url)) as Record<string, unknown>;
  const { tsImport } = await import('tsx/esm/api');
  const mod = (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  const exports = mod.default as { __esModule?: unknown } | undefined;
  return exports?.__esModule === true ? (exports as Record<string, unknown>) : mod;
}
