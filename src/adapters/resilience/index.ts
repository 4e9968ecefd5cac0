/** The resilience layer every venue adapter shares (rate lanes, retry, breaker, timeouts). */
export { RateLane, RateLanes, type LaneLimit, type Priority } from './lanes.ts';
export {
  VenuePolicy,
  VenueHttpError,
  isRetryable,
  parseRetryAfter,
  retryDelay,
  toAppError,
  type CallOptions,
  type PolicyOptions,
} from './policy.ts';
