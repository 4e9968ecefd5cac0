/**
 * The `alerts:` config section (DESIGN §7): channels with their routing filters, the per-key
 * cooldown and the per-channel hourly cap. Secrets (webhook secret, SMTP password, a chat webhook
 * URL that embeds a token) are named by environment variable only, never written in the file.
 */
import { z } from 'zod';
import { duration } from '../risk/config-types.ts';
import { ALERT_KINDS, SEVERITIES } from './alert.ts';

const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name (e.g. RISKGATE_WEBHOOK_SECRET)');
const httpUrl = z.string().regex(/^https?:\/\/\S+$/, 'expected an http(s) URL');

/** Routing: which alerts a channel receives (all when omitted). */
const routing = {
  name: z.string().min(1).optional(),
  minSeverity: z.enum(SEVERITIES).default('info'),
  kinds: z.array(z.enum(ALERT_KINDS)).min(1).optional(),
  accounts: z.array(z.string().min(1)).min(1).optional(),
};

/** A URL given inline or by environment variable (chat webhook URLs embed their token). */
const urlTarget = { url: httpUrl.optional(), urlEnv: envName.optional() };
const oneUrl = (c: { url?: string | undefined; urlEnv?: string | undefined }, ctx: z.RefinementCtx): void => {
  if ((c.url === undefined) === (c.urlEnv === undefined))
    ctx.addIssue({ code: 'custom', path: ['url'], message: 'give exactly one of url or urlEnv' });
};

const webhookChannel = z
  .object({ kind: z.literal('webhook'), ...urlTarget, secretEnv: envName, ...routing })
  .strict()
  .superRefine(oneUrl);
const slackChannel = z
  .object({ kind: z.literal('slack'), ...urlTarget, ...routing })
  .strict()
  .superRefine(oneUrl);
const discordChannel = z
  .object({ kind: z.literal('discord'), ...urlTarget, ...routing })
  .strict()
  .superRefine(oneUrl);
const emailChannel = z
  .object({
    kind: z.literal('email'),
    smtp: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(1).max(65535),
        secure: z.boolean().default(false),
        user: z.string().min(1).optional(),
        passEnv: envName.optional(),
      })
      .strict(),
    to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)]),
    from: z.string().min(3),
    ...routing,
  })
  .strict();
const logChannel = z.object({ kind: z.literal('log'), ...routing }).strict();

export const alertChannel = z.discriminatedUnion('kind', [
  webhookChannel,
  slackChannel,
  discordChannel,
  emailChannel,
  logChannel,
]);

export const alertsSection = z
  .object({
    channels: z.array(alertChannel).default([]),
    // A number is milliseconds: the parsed form, as a store keeps its config and reads it back.
    cooldown: z.union([duration, z.number().int().min(0)]).default(30 * 60_000),
    maxPerHour: z.number().int().min(1).default(10),
    /** An open position's symbol without a quote this long raises `marks_stale`. */
    marksStaleAfter: z.union([duration, z.number().int().min(1)]).default(60_000),
  })
  .strict();

export type AlertsConfig = z.output<typeof alertsSection>;
export type AlertChannelConfig = z.output<typeof alertChannel>;
