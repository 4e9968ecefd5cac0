/**
 * Alert transports: one `send` per channel kind. A send either completes (the receiver accepted
 * the alert) or throws ERR_ALERT_DELIVERY; retries, queues and throttling are the dispatcher's.
 * Secrets come from the environment at build time and are never logged or put in errors.
 */
import { createHmac } from 'node:crypto';
import nodemailer from 'nodemailer';
import { AppError } from '../errors.ts';
import type { Logger } from '../node/logger.ts';
import { alertBody, alertLine, type Alert } from './alert.ts';
import type { AlertChannelConfig } from './config.ts';

export interface AlertTransport {
  /** Channel name for logs (never its URL or secret). */
  readonly name: string;
  /** Delivers once; `signal` aborts it (the try's timeout, or shutdown). */
  send(alert: Alert, signal: AbortSignal): Promise<void>;
  close?(): void;
}

type Env = Readonly<Record<string, string | undefined>>;

function fromEnv(env: Env, name: string, channel: string, what: string): string {
  const v = env[name];
  if (v === undefined || v === '')
    throw new AppError(
      'ERR_ALERT_CONFIG',
      `alert channel ${channel}: environment variable ${name} (${what}) is not set`,
    );
  return v;
}

/** `X-Riskgate-Signature`: hex HMAC-SHA256 of `<timestamp>.<body>` with the channel's secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function failure(name: string, err: unknown, signal: AbortSignal): AppError {
  const reason = signal.reason as Error | undefined;
  const why = signal.aborted
    ? reason?.name === 'TimeoutError'
      ? 'no answer in time'
      : 'aborted'
    : (err as Error).message;
  return new AppError('ERR_ALERT_DELIVERY', `alert channel ${name}: ${why}`);
}

async function post(
  name: string,
  url: string,
  body: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
      signal,
    });
  } catch (err) {
    throw failure(name, err, signal);
  }
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new AppError('ERR_ALERT_DELIVERY', `alert channel ${name}: HTTP ${res.status}`);
}

/** Discord rejects content over 2000 characters; Slack folds long text, so both are cut there. */
function chatText(a: Alert): string {
  const text = alertLine(a);
  return text.length > 1900 ? `${text.slice(0, 1899)}…` : text;
}

function webhook(name: string, url: string, secret: string, unixSeconds: () => number): AlertTransport {
  return {
    name,
    send: (a, signal) => {
      const body = JSON.stringify(alertBody(a));
      const ts = String(unixSeconds());
      return post(
        name,
        url,
        body,
        { 'x-riskgate-timestamp': ts, 'x-riskgate-signature': signature(secret, ts, body) },
        signal,
      );
    },
  };
}

function email(name: string, c: Extract<AlertChannelConfig, { kind: 'email' }>, env: Env): AlertTransport {
  const pass = c.smtp.passEnv ? fromEnv(env, c.smtp.passEnv, name, 'SMTP password') : undefined;
  const transport = nodemailer.createTransport({
    host: c.smtp.host,
    port: c.smtp.port,
    secure: c.smtp.secure,
    ...(c.smtp.user ? { auth: { user: c.smtp.user, ...(pass !== undefined ? { pass } : {}) } } : {}),
  });
  return {
    name,
    send: async (a, signal) => {
      const text = `${alertLine(a)}\n\n${JSON.stringify(alertBody(a), null, 2)}\n`;
      const sending = transport.sendMail({
        from: c.from,
        to: c.to,
        subject: `riskgate ${a.severity}: ${a.account} ${a.kind}${a.rule ? ` ${a.rule}` : ''}`,
        text,
        date: new Date(a.ts),
        headers: { 'X-Riskgate-Alert-Id': a.id },
      });
      // nodemailer cannot cancel a send: the try ends at the signal, the connection closes on its own
      let onAbort: (() => void) | undefined;
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(new Error('aborted'));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      });
      try {
        await Promise.race([sending, aborted]);
      } catch (err) {
        throw failure(name, err, signal);
      } finally {
        signal.removeEventListener('abort', onAbort!);
        sending.catch(() => undefined);
      }
    },
    close: () => transport.close(),
  };
}

function logTransport(name: string, logger: Logger): AlertTransport {
  return {
    name,
    send: (a) => {
      const level = a.severity === 'critical' ? 'error' : a.severity === 'warning' ? 'warn' : 'info';
      logger[level](
        { alert: alertBody(a), account: a.account, ...(a.rule ? { rule: a.rule } : {}) },
        `alert ${alertLine(a)}`,
      );
      return Promise.resolve();
    },
  };
}

export function channelName(c: AlertChannelConfig, index: number): string {
  return c.name ?? `${c.kind}#${index + 1}`;
}

/** Builds a channel's transport; a missing secret variable is ERR_ALERT_CONFIG naming the variable. */
export function buildTransport(
  c: AlertChannelConfig,
  index: number,
  logger: Logger,
  env: Env,
  unixSeconds: () => number,
): AlertTransport {
  const name = channelName(c, index);
  if (c.kind === 'log') return logTransport(name, logger);
  if (c.kind === 'email') return email(name, c, env);
  const url = c.url ?? fromEnv(env, c.urlEnv!, name, 'webhook URL');
  if (c.kind === 'webhook') return webhook(name, url, fromEnv(env, c.secretEnv, name, 'signing secret'), unixSeconds);
  const shape = c.kind === 'slack' ? (a: Alert) => ({ text: chatText(a) }) : (a: Alert) => ({ content: chatText(a) });
  return { name, send: (a, signal) => post(name, url, JSON.stringify(shape(a)), {}, signal) };
}
