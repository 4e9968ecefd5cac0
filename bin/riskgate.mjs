#!/usr/bin/env -S node --max-semi-space-size=64
// Entry point of the `riskgate` command: runs the build in dist/ (`npm run build`, made by `npm ci`)
// when it was made from the sources as they are now, else the TypeScript sources through tsx, so an
// edit under src/ never runs stale code (scripts/build-stamp.mjs). RISKGATE_FROM_SOURCE=1 always
// runs the sources.
import { fileURLToPath } from 'node:url';
import { buildIsFresh } from '../scripts/build-stamp.mjs';

if (process.env.RISKGATE_FROM_SOURCE !== '1' && buildIsFresh(fileURLToPath(new URL('..', import.meta.url)))) {
  process.setSourceMapsEnabled(true);
  await import('../dist/riskgate.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/main.ts');
}
