/**
 * The broker adapter registry (DESIGN §1): `broker.kind` in the config picks an entry. Adding a
 * venue = one folder under src/adapters/ + one line in `ENTRIES`. Factories import their adapter
 * lazily, so a command that never connects to a venue never loads its code (ccxt is large).
 */
import { z } from 'zod';
import type { BrokerAdapter } from './broker.ts';
import type { AdapterReadiness } from './contract/readiness.ts';
import type { PaperAccountConfig } from './paper/exchange.ts';
import { PROJECTX_DEFAULT_URLS, apiKeyReader, parseProjectXSection, projectxSection } from './projectx/config.ts';

/** What a factory gets from the trading node: the config's broker section and the paper accounts. */
export interface BrokerFactoryContext {
  /** The config's `broker` section (absent for paper). */
  readonly section: Readonly<Record<string, unknown>> | undefined;
  /** `paper.accounts` (the paper venue's accounts and balances). */
  readonly paperAccounts: readonly PaperAccountConfig[];
  /** Wall clock in ms, injected. */
  readonly now: () => number;
}

export interface BrokerEntry {
  /** `broker.kind`; an entry ending in `:*` matches every `<prefix>:<name>` (e.g. `ccxt:binance`). */
  readonly kind: string;
  readonly description: string;
  /**
   * The whole `broker` section of a config naming this kind (`kind` included): a strict schema, so
   * a key the adapter does not read is a config error naming its path, never silently ignored.
   */
  readonly schema: z.ZodType<Record<string, unknown>>;
  /** The riskgate accounts this broker serves, from the config (before connecting). */
  accounts(ctx: BrokerFactoryContext): readonly string[];
  create(ctx: BrokerFactoryContext): Promise<BrokerAdapter>;
  /** What the venue itself can hold for riskgate (docs/projectx.md). */
  readonly capabilities: BrokerCapabilities;
  /** `riskgate readiness`: the adapter's suites and its local fake (loaded only when asked for). */
  readiness(): Promise<AdapterReadiness>;
}

export interface BrokerCapabilities {
  /**
   * The venue's own daily loss limit can be set through its API, so the limit of RULE-003 is
   * mirrored there (a second line of defence while riskgate is down). False: riskgate alone holds it.
   */
  readonly venueDailyLossLimit: boolean;
  /** Why, and what a trader can do instead; logged at start when RULE-003 is on. */
  readonly note: string;
}

const ENTRIES: readonly BrokerEntry[] = [
  {
    kind: 'paper',
    description: 'simulated matching engine fed by bundled or configured market data (the default)',
    // Its accounts and balances live in the config's `paper` section.
    schema: z.object({ kind: z.literal('paper') }).strict(),
    accounts: (ctx) => ctx.paperAccounts.map((a) => a.id),
    create: async (ctx) => new (await import('./paper/adapter.ts')).PaperBroker({ accounts: ctx.paperAccounts }),
    capabilities: {
      venueDailyLossLimit: false,
      note: 'the paper venue is simulated inside riskgate: the daily loss limit is held by riskgate itself',
    },
    readiness: async () => (await import('./paper/readiness.ts')).readiness,
  },
  {
    kind: 'projectx',
    description: 'TopstepX / ProjectX Gateway (REST and SignalR hubs; venue account ids mapped to riskgate accounts)',
    schema: projectxSection,
    accounts: (ctx) => Object.values(parseProjectXSection(ctx.section).accounts),
    create: async (ctx) => {
      const s = parseProjectXSection(ctx.section);
      const { ProjectXBroker } = await import('./projectx/adapter.ts');
      return new ProjectXBroker({
        baseUrl: s.baseUrl ?? PROJECTX_DEFAULT_URLS.baseUrl,
        marketHubUrl: s.marketHubUrl ?? PROJECTX_DEFAULT_URLS.marketHubUrl,
        userHubUrl: s.userHubUrl ?? PROJECTX_DEFAULT_URLS.userHubUrl,
        ...(s.marksStaleAfter !== undefined ? { markStaleAfterMs: s.marksStaleAfter } : {}),
        ...(s.clockSkewWarn !== undefined ? { clockSkewWarnMs: s.clockSkewWarn } : {}),
        username: s.username,
        apiKey: apiKeyReader(s),
        accounts: s.accounts,
        now: ctx.now,
      });
    },
    capabilities: {
      venueDailyLossLimit: false,
      note: 'the ProjectX Gateway API has no endpoint for account risk settings: set the Personal Daily Loss Limit by hand in the platform (Settings → Risk Settings) as a second line of defence',
    },
    readiness: async () => (await import('./projectx/readiness.ts')).readiness,
  },
];

/** Every kind a config may name, for error messages and `--help`. */
export function brokerKinds(): readonly string[] {
  return ENTRIES.map((e) => e.kind);
}

/** The entry serving `kind`, or undefined (an unknown kind is a config error, never paper). */
export function brokerEntry(kind: string): BrokerEntry | undefined {
  return ENTRIES.find(
    (e) =>
      e.kind === kind ||
      (e.kind.endsWith(':*') && kind.startsWith(e.kind.slice(0, -1)) && kind.length > e.kind.length - 1),
  );
}
