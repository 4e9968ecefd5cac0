/**
 * The configuration schema (DESIGN §7). Unknown keys and rule ids are errors naming their path.
 * Omitted rules are disabled. Per-account overrides replace a rule's global keys key by key.
 */
import { z } from 'zod';
import { clockTime, parseDuration } from '../risk/config-types.ts';
import { RULES } from '../risk/registry.ts';
import { isValidZone } from '../domain/calendar.ts';
import { brokerEntry, brokerKinds } from '../adapters/registry.ts';
import { alertsSection } from '../alerts/config.ts';
import { STRATEGY_HOST_BROKER, strategiesSection } from './strategies-section.ts';
import { DEFAULT_LIMITED_MAX_CONTRACTS, STAGES } from './stage.ts';

/** Shadow trading days `riskgate golive check` asks for by default. */
export const DEFAULT_SHADOW_DAYS = 5;

const decimalString = z
  .union([z.string(), z.number()])
  .superRefine((v, ctx) => {
    if (typeof v === 'number') {
      if (!Number.isInteger(v))
        ctx.addIssue({
          code: 'custom',
          message: `fractional number ${v} is inexact as a float: quote it as a decimal string ("${v}")`,
        });
    } else if (!/^\d+(\.\d+)?$/.test(v))
      ctx.addIssue({ code: 'custom', message: `not a positive decimal: ${JSON.stringify(v)}` });
  })
  .transform((v) => String(v));

export const zone = z.string().refine(isValidZone, { message: 'unknown IANA time zone (e.g. "America/Chicago")' });

const instrumentSpec = z
  .object({
    symbol: z.string().min(1),
    tickSize: decimalString,
    tickValue: decimalString,
    currency: z.string().default('USD'),
  })
  .strict();

/** `risk.rules`: raw (unparsed) rule configs; each is validated by its rule's own schema. */
const rulesShape = Object.fromEntries(RULES.map((r) => [r.id, z.record(z.string(), z.unknown()).optional()]));
const rawRules = z.object(rulesShape).strict();

/**
 * `broker`: `kind` names an entry of the adapter registry, whose own schema checks the rest of the
 * section. An unknown kind is an error, never the paper broker: a trader must not believe a live
 * account is guarded when it is not.
 */
const brokerSection = z.looseObject({}).superRefine((section, ctx) => {
  const kinds = brokerKinds().join(', ');
  const kind = section.kind;
  if (typeof kind !== 'string' || kind === '') {
    ctx.addIssue({
      code: 'custom',
      path: ['kind'],
      message: `missing: the broker to connect to (kinds: ${kinds}; no broker section = paper)`,
    });
    return;
  }
  const entry = brokerEntry(kind);
  if (!entry) {
    ctx.addIssue({
      code: 'custom',
      path: ['kind'],
      message: `unknown or unsupported broker kind ${JSON.stringify(kind)} (kinds: ${kinds})`,
    });
    return;
  }
  const parsed = entry.schema.safeParse(section);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) {
    if (issue.code === 'unrecognized_keys')
      for (const key of issue.keys)
        ctx.addIssue({ code: 'custom', path: [...issue.path, key], message: `unknown key for broker kind ${kind}` });
    else ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
});

/** A duration string of at least one second, kept as written (the stored config is re-read as YAML/JSON). */
const reconcileInterval = z.string().superRefine((v, ctx) => {
  let ms: number;
  try {
    ms = parseDuration(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return;
  }
  if (ms < 1000) ctx.addIssue({ code: 'custom', message: `at least "1s" (got ${JSON.stringify(v)})` });
});

const paperAccount = z.object({ id: z.string().min(1), balance: decimalString.default('50000') }).strict();

/**
 * `server`: the API's address, JWT verification (`publicKeyFile` relative to the config file's
 * directory) and rate limits per principal (`tiers` by name, chosen by an API key's tier or a
 * JWT's `tier` claim).
 */
const perMinute = z.object({ perMinute: z.number().int().positive() }).strict();
const serverSection = z
  .object({
    host: z.string().optional(),
    port: z.number().int().min(0).max(65535).optional(),
    jwt: z
      .object({
        publicKeyFile: z.string().min(1),
        issuer: z.string().min(1),
        audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
        algorithms: z
          .array(z.enum(['RS256', 'EdDSA']))
          .min(1)
          .optional(),
      })
      .strict()
      .optional(),
    rateLimits: z
      .object({ default: perMinute.default({ perMinute: 600 }), tiers: z.record(z.string(), perMinute).default({}) })
      .strict()
      .optional(),
  })
  .strict();

export const configSchema = z
  .object({
    timezone: zone.default('America/Chicago'),
    resetTime: clockTime.default('17:00'),
    instruments: z.array(instrumentSpec).default([]),
    risk: z
      .object({ rules: rawRules.default({}), mode: z.enum(['shadow', 'enforce']).optional() })
      .strict()
      .default({ rules: {} }),
    paper: z
      .object({
        accounts: z.array(paperAccount).default([{ id: 'PAPER-1', balance: '50000' }]),
        seed: z.number().int().optional(),
      })
      .strict()
      .optional(),
    accounts: z
      .record(
        z.string(),
        z
          .object({
            risk: z
              .object({ rules: rawRules.default({}) })
              .strict()
              .optional(),
            stage: z.enum(STAGES).optional(),
          })
          .strict(),
      )
      .default({}),
    limitedLive: z
      .object({ maxContracts: z.number().int().min(1).default(DEFAULT_LIMITED_MAX_CONTRACTS) })
      .strict()
      .optional(),
    golive: z
      .object({ shadowDays: z.number().int().min(1).default(DEFAULT_SHADOW_DAYS) })
      .strict()
      .optional(),
    budget: z.object({ daily: decimalString.optional(), monthly: decimalString.optional() }).strict().optional(),
    server: serverSection.optional(),
    broker: brokerSection.optional(),
    /** Reconciliation with the venue (docs/node.md): how often positions and working orders are compared. */
    reconcile: z
      .object({ interval: reconcileInterval.default('30s') })
      .strict()
      .optional(),
    alerts: alertsSection.optional(),
    /**
     * The new-order lane per account (DESIGN §1 resilience): a token bucket for opening orders only,
     * so a runaway bot is refused before the venue's own limits are hit. Cancels and closes never wait.
     */
    newOrders: z
      .object({ perSecond: z.number().positive().default(20), burst: z.number().int().min(1).default(20) })
      .strict()
      .optional(),
    strategies: strategiesSection.optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    // The strategy host places real orders: only where they cannot cost real money.
    const kind = typeof c.broker?.kind === 'string' ? c.broker.kind : STRATEGY_HOST_BROKER;
    if (c.strategies && kind !== STRATEGY_HOST_BROKER)
      ctx.addIssue({
        code: 'custom',
        path: ['strategies'],
        message: `the strategy host trades only on the ${STRATEGY_HOST_BROKER} broker (broker.kind is ${JSON.stringify(kind)}): remove the section for a live venue`,
      });
  });

export type RawConfig = z.output<typeof configSchema>;
