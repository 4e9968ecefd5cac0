/**
 * `riskgate start [--config riskgate.yaml] [--host] [--port] [--data-dir ./data]` (DESIGN §5): the
 * main job. The gateway with the paper broker (accounts from `paper.accounts`, default PAPER-1 with
 * 50000), fed by the bundled real S&P 500 data, the risk engine in enforce mode on the embedded
 * SQLite journal in the data dir. Restarting continues from the journal (missed resets fire once);
 * a changed config is applied as a config change (stricter now, looser from the next reset).
 * `--demo` keeps the old behaviour: a replay of examples/demo through the engine.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Option, type Command } from 'commander';
import { AppError } from '../../errors.ts';
import type { GatewayRecord } from '../../node/gateway-recovery.ts';
import type { Decision } from '../../engine/decision.ts';

const demoDir = path.resolve(fileURLToPath(import.meta.url), '../../../../examples/demo');

interface StartOpts {
  config?: string;
  host: string;
  port: string;
  dataDir: string;
  demo?: boolean;
  feedMs: string;
  runFor?: string;
}

export function register(program: Command): void {
  program
    .command('start')
    .description('Start the gateway: paper broker fed by bundled market data, risk engine (enforce), SQLite journal')
    .option('-c, --config <file>', 'riskgate YAML config (default: ./riskgate.yaml if present, else built-in defaults)')
    .option('--host <host>', 'API host (the HTTP API is not available yet)', '127.0.0.1')
    .option('--port <port>', 'API port (the HTTP API is not available yet)', '8080')
    .option('--data-dir <dir>', 'store directory (embedded SQLite journal)', './data')
    .option('--demo', 'replay the bundled demo events through the engine and exit')
    .option('--feed-ms <ms>', 'market feed interval (one bundled bar per tick)', '1000')
    .addOption(new Option('--run-for <ms>', 'stop after this long (tests)').hideHelp())
    .action(async (opts: StartOpts) => {
      if (opts.demo) return demo(opts.config ?? path.join(demoDir, 'riskgate.yaml'));
      // Loaded here, not at the top: `riskgate --help` and the other commands never load them.
      const { loadConfig } = await import('../../config/load.ts');
      const { PersistentEngine, journalPath } = await import('../../node/persistent-engine.ts');
      const { createPaperSystem } = await import('../../node/gateway-paper.ts');
      const { recoverGatewayState, restoreGateway } = await import('../../node/gateway-recovery.ts');
      const { sameRules } = await import('../../config/tightening.ts');
      const configPath = opts.config ?? (existsSync('riskgate.yaml') ? 'riskgate.yaml' : undefined);
      const config = loadConfig(configPath).raw;
      const fresh = !existsSync(journalPath(opts.dataDir));
      const pe = PersistentEngine.open(opts.dataDir, fresh ? { config, mode: 'enforce', execution: 'broker' } : {});
      if (pe.simulate && pe.engine.mode === 'enforce') {
        pe.close();
        throw new AppError('ERR_CONFIG_INVALID', `${opts.dataDir} holds an ingested (simulated-execution) history; start the gateway with a new --data-dir`);
      }
      const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
      log(`riskgate: ${fresh ? 'new' : 'existing'} store ${path.resolve(opts.dataDir)} (journal head seq ${pe.journal.head().seq}, recovered ${pe.recovered.records} record(s) after snapshot seq ${pe.recovered.snapshotSeq})`);
      if (!fresh && configPath && pe.engine.rawConfig && !sameRules(pe.engine.rawConfig, config)) {
        for (const d of pe.changeConfig(config, Math.max(Date.now(), pe.engine.clock.lastT))) if (d.account === '*') log(d.reason);
      }
      const onDecision = (d: Decision) => log(`${d.account} ${d.kind} ${d.rule} ${d.action}${d.symbol ? ` ${d.symbol}` : ''}: ${d.reason}`);
      const sys = createPaperSystem({
        config: pe.engine.rawConfig ?? config,
        journal: pe.journal,
        engine: pe.engine,
        feed: { intervalMs: Number(opts.feedMs) },
        gateway: { step: (input) => pe.process(input), onDecision, onError: (err) => log(`error: ${err instanceof Error ? err.message : String(err)}`) },
      });
      const resumed = restoreGateway(sys.gateway, recoverGatewayState(pe.journal.iterate() as Iterable<GatewayRecord>));
      await sys.start();
      const rules = pe.engine.account(sys.accounts[0]!).rules.map((r) => r.rule.id);
      log(`riskgate running: paper broker, accounts ${sys.accounts.join(', ')}; rules ${rules.join(', ') || 'none (add risk.rules to the config)'}; ${resumed} enforcement(s) resumed`);
      log(`HTTP API and dashboard are not available yet (--host ${opts.host} --port ${opts.port} reserved). Inspect with: riskgate trader status ${sys.accounts[0]} --data-dir ${opts.dataDir}`);
      const commit = setInterval(() => pe.commit(), 1000);
      let stopping = false;
      const stop = async (why: string) => {
        if (stopping) return;
        stopping = true;
        clearInterval(commit);
        await sys.stop();
        pe.snapshot();
        pe.close();
        log(`riskgate stopped (${why}); journal committed and snapshotted`);
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      if (opts.runFor) setTimeout(() => void stop('run-for elapsed'), Number(opts.runFor));
    });
}

async function demo(configPath: string): Promise<void> {
  const { loadConfig } = await import('../../config/load.ts');
  const { createEngine } = await import('../../engine/factory.ts');
  const { runReplay } = await import('../../engine/step.ts');
  const { buildReport, formatReportText } = await import('../../engine/report.ts');
  const { MemoryChain } = await import('../../store/memory-chain.ts');
  const { newReadStats, readEventBatches } = await import('../../adapters/eventlog/reader.ts');
  const engine = createEngine(loadConfig(configPath).raw, 'shadow');
  const stats = newReadStats();
  let decisions = 0;
  const result = await runReplay(engine, readEventBatches(path.join(demoDir, 'events.ndjson'), stats), { journal: new MemoryChain(), onDecision: () => decisions++ });
  process.stdout.write(formatReportText(buildReport(engine, result.events, result.head.hash)));
  process.stdout.write(`decisions: ${decisions}\n`);
}
