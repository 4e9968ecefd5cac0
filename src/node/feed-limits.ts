/** The fastest the paper market feed may go: every quote is journaled, and a faster feed floods the store. */
export const MIN_FEED_INTERVAL_MS = 50;
