/**
 * Runs a benchmark as built JavaScript, as `riskgate` runs (dist/ is an esbuild bundle): bundles
 * `bench/<file>.ts` with esbuild into .tmp/ and runs it with the remaining arguments, under the
 * runtime flags of `riskgate` (`--max-semi-space-size=64`). Through tsx,
 * every module is transformed on load and imported bindings read through getters (≈ 8 % of a
 * rules-on backtest in a CPU profile), which the shipped build does not do.
 *   node bench/bundled.mjs bench/backtest.ts [--runs 100]
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const [entry, ...args] = process.argv.slice(2);
if (!entry) throw new Error('usage: node bench/bundled.mjs bench/<file>.ts [args…]');
const out = path.join(root, '.tmp', `bench-${path.basename(entry, '.ts')}.mjs`);
await esbuild.build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile: out,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'error',
  plugins: [
    {
      // import.meta.url keeps naming the source file, so paths to data resolve as from the sources.
      name: 'source-import-meta-url',
      setup(build) {
        build.onLoad({ filter: /\.ts$/ }, (a) => {
          const text = readFileSync(a.path, 'utf8');
          if (!text.includes('import.meta.url')) return undefined;
          return {
            contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(a.path).href)),
            loader: 'ts',
          };
        });
      },
    },
  ],
});
// The runtime flags of `riskgate` (bin/riskgate.mjs's shebang).
const r = spawnSync(process.execPath, ['--max-semi-space-size=64', out, ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
