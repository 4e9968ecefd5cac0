/**
 * `riskgate start [--config riskgate.yaml] [--host] [--port] [--data-dir ./data]` (DESIGN §5): the
 * main job. Builds the trading node (src/node) from the config — the broker from `broker.kind`
 * (paper when omitted: accounts from `paper.accounts`, fed by the bundled S&P 500 data), the risk
 * engine in enforce mode on the embedded SQLite journal in the data dir — and runs it until
 * SIGINT/SIGTERM, then drains. Restarting continues from the journal (missed resets fire once); a
 * changed config is applied as a config change (stricter now, looser from the next reset).
 * Without a config file it runs the starter rules and the demo trader (the quick start).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { AppError } from '../../errors.ts';
import { MIN_FEED_INTERVAL_MS } from '../../node/feed-limits.ts';

interface StartOpts {
  config?: string;
  host: string;
  port: string;
  dataDir: string;
  demo?: boolean;
  feedMs: string;
  dryRun?: boolean;
  runFor?: string;
  demoStepMs?: string;
  mode?: string;
}

export function register(program: Command): void {
  program
    .command('start')
    .description(
      'Start the gateway: the trading node with its broker (paper by default), risk engine (enforce) and SQLite journal',
    )
    .option('-c, --config <file>', 'riskgate YAML config (default: ./riskgate.yaml if present, else the starter rules)')
    .option('--host <host>', 'API host', '127.0.0.1')
    .option('--port <port>', 'API port (0 = any free port)', '8080')
    .option('--data-dir <dir>', 'store directory (embedded SQLite journal)', './data')
    .option('--demo', 'run the demo trader on the first paper account (default: on without a config file)')
    .option('--no-demo', 'no demo trader')
    .option(
      '--feed-ms <ms>',
      `paper market feed: milliseconds between bundled bars (at least ${MIN_FEED_INTERVAL_MS})`,
      '1000',
    )
    .option('--dry-run', 'journal enforcements without calling the broker')
    .addOption(
      new Option(
        '--mode <mode>',
        'shadow: watch and journal what riskgate would have done, enforce nothing (a new store; default risk.mode, else enforce)',
      ).choices(['shadow', 'enforce']),
    )
    .addOption(new Option('--run-for <ms>', 'stop after this long (tests)').hideHelp())
    .addOption(new Option('--demo-step-ms <ms>', 'demo trader pace (tests)').hideHelp())
    .action(async (opts: StartOpts) => {
      const { loadConfig } = await import('../../config/load.ts');
      const { createLogger } = await import('../../node/logger.ts');
      const { TradingNode } = await import('../../node/node.ts');
      const { starterConfig } = await import('../../node/starter-config.ts');
      const { newStreamEpoch } = await import('../../node/bus.ts');
      const configPath = opts.config ?? (existsSync('riskgate.yaml') ? 'riskgate.yaml' : undefined);
      const config = configPath ? loadConfig(configPath).raw : starterConfig();
      const feedMs = Number(opts.feedMs);
      if (!Number.isFinite(feedMs) || feedMs < MIN_FEED_INTERVAL_MS)
        throw new AppError(
          'ERR_INPUT_INVALID',
          `--feed-ms: at least ${MIN_FEED_INTERVAL_MS} (every quote is journaled), got ${JSON.stringify(opts.feedMs)}`,
        );
      const log = createLogger();
      const mode = (opts.mode ?? config.risk.mode) as 'shadow' | 'enforce' | undefined;
      const node = await TradingNode.build({
        ...(mode ? { mode } : {}),
        config,
        configGiven: configPath !== undefined,
        dataDir: opts.dataDir,
        // Seqs restart with every start: the epoch tells a resuming WebSocket client which start its seq is of.
        streamEpoch: newStreamEpoch(Date.now()),
        owner: `start --data-dir ${opts.dataDir}`,
        logger: log,
        feed: { intervalMs: feedMs },
        demoTrader:
          (opts.demo ?? configPath === undefined)
            ? opts.demoStepMs
              ? { stepMs: Number(opts.demoStepMs) }
              : {}
            : false,
        ...(opts.dryRun ? { dryRun: true } : {}),
      });
      log.info(
        configPath
          ? `config ${path.resolve(configPath)}`
          : 'no config file: starter rules (daily loss 1000, max 5 contracts, stop within 20 s, trailing drawdown 2500); see riskgate.example.yaml',
      );
      if (mode && node.mode !== mode) {
        await node.stop('execution mode differs from the store');
        throw new AppError(
          'ERR_INPUT_INVALID',
          `--mode ${mode}: the store in ${opts.dataDir} runs in ${node.mode} mode (a store keeps its execution mode); use a new --data-dir`,
        );
      }
      await node.start();
      const alerts = (await import('../../alerts/index.ts')).startAlerts(
        node,
        (node.config ?? config).alerts,
        log,
        Date.now,
        {
          dataDir: opts.dataDir,
          ...((node.config ?? config).budget ? { budget: (node.config ?? config).budget } : {}),
        },
      );
      const reports = (await import('../../node/daily-report-files.ts')).startDailyReports(
        node,
        path.join(opts.dataDir, 'reports'),
        log,
      );
      const { serveNode } = await import('../../server/serve.ts');
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new AppError('ERR_INPUT_INVALID', `--port: 0-65535, got ${JSON.stringify(opts.port)}`);
      let served: Awaited<ReturnType<typeof serveNode>>;
      try {
        served = await serveNode(node, {
          host: opts.host,
          port,
          dataDir: opts.dataDir,
          server: config.server,
          configDir: configPath ? path.dirname(path.resolve(configPath)) : process.cwd(),
        });
      } catch (err) {
        await node.stop('the API could not start');
        throw err;
      }
      log.info(
        { url: served.url },
        `API on ${served.url} (dashboard at /; GET /health, /docs, /metrics; /api/v1 with X-API-Key or a JWT)`,
      );
      await announceDashboardLogin(served, opts.host, opts.dataDir, log);
      let stopping = false;
      const stop = async (why: string): Promise<void> => {
        if (stopping) return;
        stopping = true;
        alerts?.stop();
        reports.stop();
        await served.close();
        await node.stop(why);
        process.exit(0);
      };
      process.on('SIGINT', () => void stop('SIGINT'));
      process.on('SIGTERM', () => void stop('SIGTERM'));
      if (opts.runFor) setTimeout(() => void stop('run-for elapsed'), Number(opts.runFor));
    });
}

/**
 * The quick start's login: on a loopback-only node whose store has never had an admin key, one is
 * created and printed once (as `admin apikey create` would), so the dashboard opens without a
 * second command. A store that has had admin keys (even revoked ones) gets only the hint.
 */
async function announceDashboardLogin(
  served: { url: string; keys: import('../../server/api-keys.ts').ApiKeyStore },
  host: string,
  dataDir: string,
  log: { info(msg: string): void; info(obj: object, msg: string): void },
): Promise<void> {
  const { LOCAL_ADMIN_LABEL } = await import('../../server/local-admin.ts');
  const admins = served.keys.list().filter((k) => k.role === 'admin' && k.label !== LOCAL_ADMIN_LABEL);
  if (admins.some((k) => !k.revokedAt)) return;
  const loopback = ['127.0.0.1', 'localhost', '::1'].includes(host);
  if (admins.length > 0 || !loopback) {
    log.info(
      `no admin API key: create one with \`npx riskgate admin apikey create --role admin --data-dir ${dataDir}\` (printed once)`,
    );
    return;
  }
  const { key, info } = served.keys.create({ role: 'admin', label: FIRST_START_LABEL });
  const id = info.id;
  log.info(
    { keyId: id },
    `dashboard: open ${served.url}/ and log in with the admin API key ${key} (shown once; \`npx riskgate admin apikey revoke ${id} --data-dir ${dataDir}\` revokes it)`,
  );
}

const FIRST_START_LABEL = 'first start';
