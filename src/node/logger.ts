/**
 * The node's structured log (pino): one JSON object per line with `account` and a correlation id
 * (`cid`: the order, fill or enforcement key an entry is about) where there is one; readable lines
 * on a terminal (pino-pretty), JSON when piped. Secrets never reach it: `redact` removes the
 * config keys that may hold them, whatever a caller passes.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly level?: string;
  /** Pretty lines (default: when stdout is a terminal). */
  readonly pretty?: boolean;
  /** Where lines go (default stdout). */
  readonly destination?: NodeJS.WritableStream;
}

const REDACT = [
  'apiKey',
  'secret',
  'password',
  'token',
  '*.apiKey',
  '*.secret',
  '*.password',
  '*.token',
  'config.broker.apiKey',
];

export function createLogger(opts: LoggerOptions = {}): Logger {
  const level = opts.level ?? process.env.RISKGATE_LOG_LEVEL ?? 'info';
  const destination = opts.destination ?? process.stdout;
  const isTty = (destination as NodeJS.WriteStream).isTTY === true;
  const base = { level, base: { pid: process.pid }, redact: { paths: REDACT, censor: '[redacted]' } };
  if (opts.pretty ?? isTty) {
    // On a terminal the message says it all; the fields stay in the JSON form.
    return pino(
      base,
      pretty({ colorize: isTty, destination, sync: true, translateTime: 'SYS:HH:MM:ss.l', hideObject: true }),
    );
  }
  return pino(base, destination);
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
