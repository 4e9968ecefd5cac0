import type { Command } from 'commander';
import { register as admin } from './admin.ts';
import { register as analytics } from './analytics.ts';
import { register as backtest } from './backtest.ts';
import { register as config } from './config.ts';
import { register as dbn } from './dbn.ts';
import { register as golive } from './golive.ts';
import { register as ingest } from './ingest.ts';
import { register as journal } from './journal.ts';
import { register as replay } from './replay.ts';
import { register as readiness } from './readiness.ts';
import { register as research } from './research.ts';
import { register as smoke } from './smoke.ts';
import { register as start } from './start.ts';
import { register as trader } from './trader.ts';

/** One line per command module. */
export function registerCommands(program: Command): void {
  admin(program);
  analytics(program);
  backtest(program);
  config(program);
  dbn(program);
  golive(program);
  ingest(program);
  journal(program);
  replay(program);
  readiness(program);
  research(program);
  smoke(program);
  start(program);
  trader(program);
}
