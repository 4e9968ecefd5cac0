/**
 * The `broker` section for `kind: projectx` (DESIGN §7). The API key is read from a file or an
 * environment variable only when logging in, and never appears in an error, a log line or the API.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import { duration } from '../../risk/config-types.ts';

export const PROJECTX_DEFAULT_URLS = {
  baseUrl: 'https://api.topstepx.com',
  userHubUrl: 'https://rtc.topstepx.com/hubs/user',
  marketHubUrl: 'https://rtc.topstepx.com/hubs/market',
} as const;

export const projectxSection = z
  .object({
    kind: z.literal('projectx'),
    baseUrl: z.url().optional(),
    userHubUrl: z.url().optional(),
    marketHubUrl: z.url().optional(),
    username: z.string().min(1),
    apiKeyFile: z.string().min(1).optional(),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .optional(),
    /** A traded symbol without a quote for this long has stale marks (default "30s"). */
    marksStaleAfter: duration.optional(),
    /** The venue's clock off ours by more than this is warned about (default "5s"). */
    clockSkewWarn: duration.optional(),
    /** Venue account id (digits) → riskgate account. */
    accounts: z
      .record(z.string().regex(/^\d+$/, 'venue account ids are numbers'), z.string().min(1))
      .refine((m) => Object.keys(m).length > 0, 'map at least one account'),
  })
  .strict()
  .refine((s) => (s.apiKeyFile === undefined) !== (s.apiKeyEnv === undefined), {
    message: 'give exactly one of apiKeyFile or apiKeyEnv',
    path: ['apiKeyFile'],
  });
export type ProjectXSection = z.infer<typeof projectxSection>;

export function parseProjectXSection(section: unknown): ProjectXSection {
  const r = projectxSection.safeParse(section);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new AppError('ERR_CONFIG_INVALID', `broker.${i?.path.join('.') ?? ''}: ${i?.message ?? 'invalid'}`);
  }
  return r.data;
}

/** Reads the key when called (at login), so a rotated key file is picked up on the next login. */
export function apiKeyReader(s: ProjectXSection, env: NodeJS.ProcessEnv = process.env): () => string {
  return () => {
    if (s.apiKeyEnv !== undefined) {
      const v = env[s.apiKeyEnv];
      if (!v)
        throw new AppError('ERR_CONFIG_INVALID', `broker.apiKeyEnv: environment variable ${s.apiKeyEnv} is not set`);
      return v.trim();
    }
    try {
      const v = readFileSync(s.apiKeyFile as string, 'utf8').trim();
      if (v === '') throw new Error('empty');
      return v;
    } catch {
      throw new AppError('ERR_CONFIG_INVALID', `broker.apiKeyFile: ${s.apiKeyFile} cannot be read or is empty`);
    }
  };
}
