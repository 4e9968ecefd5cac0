/**
 * ProjectX refusals as catalogued errors. The venue answers HTTP 200 with `success: false`, a
 * numeric `errorCode` and an `errorMessage`; the per-endpoint code tables are not published in
 * the docs we could read (docs/projectx.md), so the mapping goes by endpoint and keeps the
 * venue's code and text in the error's details for the journal.
 */
import { AppError, type ErrorCode } from '../../errors.ts';
import type { Envelope } from './schemas.ts';

const BY_PATH: Readonly<Record<string, ErrorCode>> = {
  'Auth/loginKey': 'ERR_BROKER_AUTH',
  'Auth/validate': 'ERR_BROKER_AUTH',
  'Order/place': 'ERR_BROKER_REJECTED',
  'Order/modify': 'ERR_BROKER_REJECTED',
  'Order/cancel': 'ERR_BROKER_REJECTED',
  'Position/closeContract': 'ERR_BROKER_REJECTED',
  'Position/partialCloseContract': 'ERR_BROKER_REJECTED',
};

/** The error for a `success: false` answer from `path`. */
export function venueRefusal(path: string, env: Envelope): AppError {
  const code = BY_PATH[path] ?? 'ERR_BROKER_REJECTED';
  const text = env.errorMessage ?? 'no message';
  return new AppError(code, `projectx ${path} refused (errorCode ${env.errorCode}): ${text}`, {
    venueErrorCode: env.errorCode,
    venueErrorMessage: env.errorMessage ?? null,
  });
}

/** A response that does not match the published shape. */
export function unreadable(path: string, issue: string): AppError {
  return new AppError('ERR_BROKER_RESPONSE_INVALID', `projectx ${path}: unexpected response (${issue})`);
}

export function isRefusal(e: unknown): e is AppError {
  return e instanceof AppError && e.details !== undefined && 'venueErrorCode' in e.details;
}
