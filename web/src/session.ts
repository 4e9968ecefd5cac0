/**
 * The login: an API key or a JWT, checked by listing the accounts it may see, kept in the tab's
 * sessionStorage (gone when the tab closes; never in the URL).
 */
import { Api } from './api.ts';
import type { Credentials } from './stream.ts';
import type { AccountSummary } from './types.ts';

export interface Session {
  readonly creds: Credentials;
  readonly api: Api;
  readonly accounts: readonly AccountSummary[];
  /** The trading time zone of the config (IANA). */
  readonly timezone: string;
  /** The trading-day boundary, local to `timezone`. */
  readonly resetTime: string;
  /** Currency amounts are shown in (the instruments' currency). */
  readonly currency: string;
}

const STORE = 'riskgate.credentials';

export async function openSession(creds: Credentials): Promise<Session> {
  const api = new Api(creds);
  const { accounts } = await api.get<{ accounts: AccountSummary[] }>('/accounts');
  let timezone = 'America/Chicago';
  let resetTime = '17:00';
  try {
    const { config } = await api.get<{ config: { timezone?: string; resetTime?: string } }>('/config');
    timezone = config.timezone ?? timezone;
    resetTime = config.resetTime ?? resetTime;
  } catch {
    // the config is optional for the dashboard: the default trading zone stays
  }
  let currency = 'USD';
  try {
    const { instruments } = await api.get<{ instruments: { currency?: string }[] }>('/instruments');
    currency = instruments.find((i) => i.currency)?.currency ?? currency;
  } catch {
    // USD when the instrument table cannot be read
  }
  sessionStorage.setItem(STORE, JSON.stringify(creds));
  return { creds, api, accounts, timezone, resetTime, currency };
}

export function savedCredentials(): Credentials | undefined {
  try {
    const raw = sessionStorage.getItem(STORE);
    return raw ? (JSON.parse(raw) as Credentials) : undefined;
  } catch {
    return undefined;
  }
}

export function forgetCredentials(): void {
  sessionStorage.removeItem(STORE);
}

/** `apiKey` unless the text looks like a JWT (three base64url parts). */
export function credentialsOf(text: string): Credentials {
  const t = text.trim();
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(t) ? { token: t } : { apiKey: t };
}
