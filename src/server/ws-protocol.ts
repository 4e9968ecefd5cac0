/**
 * The client → server messages of `GET /ws` (DESIGN §6), parsed into typed ops or the catalogued
 * error to answer: malformed JSON is `ERR_INPUT_MALFORMED`, a well-formed message that is not a
 * known op with valid fields is `ERR_INPUT_INVALID` naming the field.
 */
import { ACCOUNT_CHANNELS, type AccountChannel } from '../node/bus.ts';
import type { ErrorCode } from '../errors.ts';
import { parseTopicOp, type TopicOp } from './ws-topics.ts';

export const STREAM_CHANNELS = [...ACCOUNT_CHANNELS, 'quotes'] as const;
export type StreamChannel = (typeof STREAM_CHANNELS)[number];

/** `since` for all accounts of a subscribe, or per account. */
export type Since = number | Readonly<Record<string, number>>;

export type ClientOp =
  | { readonly op: 'auth'; readonly apiKey?: string; readonly token?: string }
  | {
      readonly op: 'subscribe';
      readonly channels: readonly AccountChannel[];
      readonly quotes: boolean;
      readonly symbols?: readonly string[];
      readonly accounts: readonly string[];
      readonly since?: Since;
      /** The stream epoch `since` is of; another epoch than the node's is answered with `resync`. */
      readonly epoch?: string;
    }
  | { readonly op: 'unsubscribe'; readonly channels?: readonly StreamChannel[]; readonly accounts?: readonly string[] }
  | { readonly op: 'resync'; readonly account: string; readonly since?: number; readonly epoch?: string }
  | { readonly op: 'ping' }
  | { readonly op: 'pong' }
  | TopicOp;

export interface OpError {
  readonly error: ErrorCode;
  readonly message: string;
}

const MAX_LIST = 1000;
const MAX_ID = 200;

export function parseClientOp(raw: string): ClientOp | OpError {
  let msg: unknown;
  try {
    msg = JSON.parse(raw);
  } catch {
    return { error: 'ERR_INPUT_MALFORMED', message: 'message is not valid JSON' };
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg))
    return invalid('message: expected a JSON object with an "op"');
  const m = msg as Record<string, unknown>;
  switch (m.op) {
    case 'auth':
      return parseAuth(m);
    case 'subscribe':
    case 'unsubscribe': {
      // One `channel` is a market topic (indicators, labels: ws-topics.ts); `channels` are the account ones.
      if (m.channel !== undefined) {
        const t = parseTopicOp(m);
        return typeof t === 'string' ? invalid(t) : t;
      }
      return m.op === 'subscribe' ? parseSubscribe(m) : parseUnsubscribe(m);
    }
    case 'resync': {
      if (!isId(m.account)) return invalid('account: expected an account id');
      if (m.since !== undefined && !isSeq(m.since)) return invalid('since: expected a non-negative integer');
      if (m.epoch !== undefined && !isId(m.epoch)) return invalid('epoch: expected the epoch of a `subscribed` reply');
      return {
        op: 'resync',
        account: m.account,
        ...(m.since !== undefined ? { since: m.since as number } : {}),
        ...(m.epoch !== undefined ? { epoch: m.epoch as string } : {}),
      };
    }
    case 'ping':
    case 'pong':
      return { op: m.op };
    default:
      return invalid(
        `op: unknown op ${typeof m.op === 'string' ? JSON.stringify(m.op.slice(0, 50)) : '(missing)'}; expected auth, subscribe, unsubscribe, resync, ping or pong`,
      );
  }
}

export function isOpError(x: ClientOp | OpError): x is OpError {
  return 'error' in x;
}

function parseAuth(m: Record<string, unknown>): ClientOp | OpError {
  const apiKey = typeof m.apiKey === 'string' && m.apiKey !== '' ? m.apiKey : undefined;
  const token = typeof m.token === 'string' && m.token !== '' ? m.token : undefined;
  if (!apiKey && !token) return invalid('auth: expected "apiKey" or "token"');
  return apiKey ? { op: 'auth', apiKey } : { op: 'auth', token: token! };
}

function parseSubscribe(m: Record<string, unknown>): ClientOp | OpError {
  const channels = parseChannels(m.channels);
  if (typeof channels === 'string') return invalid(channels);
  if (channels.length === 0) return invalid('channels: expected at least one channel');
  const accountChannels = channels.filter((c): c is AccountChannel => c !== 'quotes');
  const accounts = m.accounts === undefined ? [] : parseIds(m.accounts, 'accounts');
  if (typeof accounts === 'string') return invalid(accounts);
  if (accountChannels.length > 0 && accounts.length === 0)
    return invalid('accounts: expected at least one account for the account channels');
  const symbols = m.symbols === undefined ? undefined : parseIds(m.symbols, 'symbols');
  if (typeof symbols === 'string') return invalid(symbols);
  let since: Since | undefined;
  if (m.since !== undefined) {
    if (isSeq(m.since)) since = m.since;
    else if (
      typeof m.since === 'object' &&
      m.since !== null &&
      !Array.isArray(m.since) &&
      Object.values(m.since).every(isSeq)
    )
      since = m.since as Record<string, number>;
    else return invalid('since: expected a non-negative integer seq, or {"<account>": seq}');
  }
  if (m.epoch !== undefined && !isId(m.epoch)) return invalid('epoch: expected the epoch of a `subscribed` reply');
  return {
    op: 'subscribe',
    channels: accountChannels,
    quotes: channels.includes('quotes'),
    accounts,
    ...(symbols ? { symbols } : {}),
    ...(since !== undefined ? { since } : {}),
    ...(m.epoch !== undefined ? { epoch: m.epoch as string } : {}),
  };
}

function parseUnsubscribe(m: Record<string, unknown>): ClientOp | OpError {
  const channels = m.channels === undefined ? undefined : parseChannels(m.channels);
  if (typeof channels === 'string') return invalid(channels);
  const accounts = m.accounts === undefined ? undefined : parseIds(m.accounts, 'accounts');
  if (typeof accounts === 'string') return invalid(accounts);
  return { op: 'unsubscribe', ...(channels ? { channels } : {}), ...(accounts ? { accounts } : {}) };
}

function parseChannels(x: unknown): StreamChannel[] | string {
  if (!Array.isArray(x) || x.length > MAX_LIST) return 'channels: expected an array of channel names';
  for (const c of x) {
    if (!(STREAM_CHANNELS as readonly unknown[]).includes(c))
      return `channels: unknown channel ${JSON.stringify(String(c).slice(0, 50))}; expected ${STREAM_CHANNELS.join(', ')}`;
  }
  return [...new Set(x as StreamChannel[])];
}

function parseIds(x: unknown, field: string): string[] | string {
  if (!Array.isArray(x) || x.length > MAX_LIST || !x.every(isId)) return `${field}: expected an array of ids`;
  return [...new Set(x as string[])];
}

function isId(x: unknown): x is string {
  return typeof x === 'string' && x.length > 0 && x.length <= MAX_ID;
}

function isSeq(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;
}

function invalid(message: string): OpError {
  return { error: 'ERR_INPUT_INVALID', message };
}
