/**
 * The error catalog: every operational failure has a stable code `ERR_<AREA>_<WHAT>`,
 * an HTTP status (for the API) and a message template. Risk outcomes are not errors.
 */
export const ERRORS = {
  ERR_CONFIG_INVALID: { status: 400, message: 'invalid configuration' },
  ERR_CONFIG_NOT_FOUND: { status: 400, message: 'configuration file not found' },
  ERR_EVENT_MALFORMED: { status: 400, message: 'malformed event' },
  ERR_EVENT_UNKNOWN_TYPE: { status: 400, message: 'unknown event type' },
  ERR_EVENT_OUT_OF_ORDER: { status: 400, message: 'event out of time order' },
  ERR_INSTRUMENT_UNKNOWN: { status: 400, message: 'unknown instrument' },
  ERR_MONEY_INVALID: { status: 400, message: 'invalid decimal amount' },
  ERR_INPUT_INVALID: { status: 400, message: 'invalid input' },
  ERR_FILE_NOT_FOUND: { status: 404, message: 'file not found' },
  ERR_FILE_READ: { status: 500, message: 'file could not be read' },
  ERR_FILE_WRITE: { status: 500, message: 'file could not be written' },
  ERR_FILE_IO: { status: 500, message: 'file system operation failed' },
  ERR_JOURNAL_TAMPERED: { status: 500, message: 'journal hash chain broken' },
  ERR_JOURNAL_IO: { status: 500, message: 'journal I/O failure' },
  ERR_ENGINE_INVARIANT: { status: 500, message: 'engine invariant broken' },
  ERR_DBN_CORRUPT: { status: 400, message: 'corrupt or truncated DBN data' },
  ERR_DBN_UNSUPPORTED: { status: 400, message: 'unsupported DBN content' },
  ERR_ANALYTICS_NO_SOLUTION: { status: 422, message: 'no solution exists' },
  ERR_ANALYTICS_INPUT: { status: 400, message: 'invalid analytics input' },
  ERR_BACKTEST_INPUT: { status: 400, message: 'invalid backtest input' },
  ERR_RESEARCH_INPUT: { status: 400, message: 'invalid research input' },
  ERR_REPORT_CHARTS: { status: 500, message: 'the report charts could not be built' },
  ERR_REPORT_PNG: { status: 500, message: 'the report picture could not be rendered' },
  ERR_STRATEGY_UNKNOWN: { status: 400, message: 'unknown strategy' },
  ERR_STRATEGY_LOAD: { status: 400, message: 'strategy file could not be loaded' },
  ERR_STRATEGY_FAILED: { status: 400, message: 'strategy threw an error' },
  ERR_STRATEGY_HOST_NONE: { status: 404, message: 'no strategy host on this account' },
  ERR_BROKER_REJECTED: { status: 409, message: 'order rejected by broker' },
  ERR_ORDER_UNKNOWN: { status: 404, message: 'unknown order' },
  ERR_JOURNAL_RECORD_INVALID: { status: 400, message: 'invalid journal record' },
  ERR_JOURNAL_OUT_OF_ORDER: {
    status: 409,
    message: 'journal record out of order (ts before the previous record, or not the expected seq)',
  },
  ERR_JOURNAL_NOT_A_JOURNAL: { status: 400, message: 'file is not a riskgate journal' },
  ERR_ORDER_CONFLICT: { status: 409, message: 'idempotency key reused with different order parameters' },
  ERR_ACCOUNT_UNKNOWN: { status: 404, message: 'unknown account' },
  ERR_STORE_LOCKED: { status: 409, message: 'data dir is owned by another running riskgate process' },
  ERR_NODE_OFFLINE: { status: 503, message: 'the trading node is not connected to a broker' },
  ERR_AUTH_REQUIRED: { status: 401, message: 'authentication required (X-API-Key or Authorization: Bearer)' },
  ERR_AUTH_INVALID: { status: 401, message: 'invalid or revoked credentials' },
  ERR_AUTH_FORBIDDEN: { status: 403, message: 'your role may not do this' },
  ERR_ROUTE_NOT_FOUND: { status: 404, message: 'no such route' },
  ERR_INPUT_MALFORMED: { status: 400, message: 'request body is not valid JSON' },
  ERR_ORDER_REJECTED: { status: 409, message: 'order rejected by a risk rule' },
  ERR_RATE_LIMITED: { status: 429, message: 'too many requests' },
  ERR_SERVER_INTERNAL: { status: 500, message: 'internal error' },
  ERR_SERVER_LISTEN: { status: 500, message: 'the API cannot listen on that address' },
  // HTTP API routes (src/server/routes)
  ERR_APIKEY_UNKNOWN: { status: 404, message: 'unknown API key' },
  ERR_APIKEYS_UNAVAILABLE: { status: 503, message: 'this server has no API key store' },
  ERR_BACKTEST_UNKNOWN: { status: 404, message: 'unknown backtest' },
  ERR_HISTORY_UNKNOWN_SYMBOL: { status: 404, message: 'no historical data for that symbol' },
  ERR_BACKTEST_BUSY: { status: 503, message: 'too many backtests waiting' },
  ERR_BACKTEST_NOT_READY: { status: 409, message: 'the backtest has no report yet' },
  ERR_JOB_UNKNOWN: { status: 404, message: 'unknown replay or research job' },
  ERR_JOB_BUSY: { status: 503, message: 'too many replay or research jobs waiting' },
  ERR_SAVED_STRATEGY_UNKNOWN: { status: 404, message: 'unknown saved strategy' },
  ERR_LABEL_UNKNOWN: { status: 404, message: 'unknown chart label' },
  // The CLI talking to a running node over its API (issue 14).
  ERR_API_UNREACHABLE: { status: 503, message: "the running node's API could not be reached" },
  // alerts (src/alerts)
  ERR_ALERT_CONFIG: {
    status: 400,
    message: 'alert channel misconfigured (e.g. a secret environment variable is not set)',
  },
  ERR_ALERT_DELIVERY: { status: 502, message: 'alert not accepted by its channel' },
  // Venue adapters (src/adapters/resilience, src/adapters/projectx).
  ERR_BROKER_UNAVAILABLE: {
    status: 503,
    message: 'the broker venue is unreachable or failing (after retries, or circuit open)',
  },
  ERR_BROKER_AUTH: { status: 502, message: 'the broker venue refused our credentials' },
  ERR_BROKER_RESPONSE_INVALID: { status: 502, message: 'the broker venue sent a response we cannot read' },
  ERR_BROKER_OUTCOME_UNKNOWN: {
    status: 504,
    message: 'the broker venue did not confirm whether the request took effect',
  },
  ERR_BROKER_RATE_LIMITED: { status: 429, message: 'the broker venue rate limit was hit and retries ran out' },
  ERR_BROKER_UNSUPPORTED: { status: 400, message: 'the broker venue does not support this order' },
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERRORS[code].message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.details = details;
  }

  toJSON(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
