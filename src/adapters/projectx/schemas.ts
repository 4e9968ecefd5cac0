/**
 * ProjectX Gateway API shapes (docs/projectx.md lists the sources). Every response is checked
 * against these before anything reads it; unknown extra fields are ignored so a venue that adds a
 * field does not break us, a missing or mistyped one does. Prices arrive as JSON numbers: the
 * mapper turns them into Fixed through their decimal text (mapper.ts `fixedOfJson`).
 */
import { z } from 'zod';

/** Every answer carries these; `success: false` is a refusal even with HTTP 200. */
export const envelope = z.object({
  success: z.boolean(),
  errorCode: z.number().int(),
  errorMessage: z.string().nullable().optional(),
});
export type Envelope = z.infer<typeof envelope>;

const int = z.number().int();
const decimal = z.number().finite();
const timestamp = z.string().min(1);

export const loginResponse = envelope.extend({ token: z.string().nullable().optional() });
export const validateResponse = envelope.extend({ newToken: z.string().nullable().optional() });

export const account = z.object({
  id: int,
  name: z.string(),
  balance: decimal,
  canTrade: z.boolean(),
  isVisible: z.boolean().optional(),
  simulated: z.boolean().optional(),
});
export type VenueAccount = z.infer<typeof account>;
export const accountSearchResponse = envelope.extend({ accounts: z.array(account).nullable().optional() });

export const contract = z.object({
  id: z.string().min(1),
  name: z.string(),
  description: z.string().nullable().optional(),
  tickSize: decimal,
  tickValue: decimal,
  activeContract: z.boolean(),
  symbolId: z.string().nullable().optional(),
});
export type VenueContract = z.infer<typeof contract>;
export const contractSearchResponse = envelope.extend({ contracts: z.array(contract).nullable().optional() });
export const contractByIdResponse = envelope.extend({ contract: contract.nullable().optional() });

export const order = z.object({
  id: int,
  accountId: int,
  contractId: z.string(),
  creationTimestamp: timestamp,
  updateTimestamp: timestamp.nullable().optional(),
  status: int,
  type: int,
  side: int,
  size: int,
  limitPrice: decimal.nullable().optional(),
  stopPrice: decimal.nullable().optional(),
  trailPrice: decimal.nullable().optional(),
  fillVolume: int.nullable().optional(),
  filledPrice: decimal.nullable().optional(),
  customTag: z.string().nullable().optional(),
});
export type VenueOrder = z.infer<typeof order>;
export const orderSearchResponse = envelope.extend({ orders: z.array(order).nullable().optional() });
export const placeOrderResponse = envelope.extend({ orderId: int.nullable().optional() });

export const position = z.object({
  id: int,
  accountId: int,
  contractId: z.string(),
  creationTimestamp: timestamp,
  type: int,
  size: int,
  averagePrice: decimal,
});
export type VenuePosition = z.infer<typeof position>;
export const positionSearchResponse = envelope.extend({ positions: z.array(position).nullable().optional() });

export const trade = z.object({
  id: int,
  accountId: int,
  contractId: z.string(),
  creationTimestamp: timestamp,
  price: decimal,
  profitAndLoss: decimal.nullable().optional(),
  fees: decimal,
  side: int,
  size: int,
  voided: z.boolean(),
  orderId: int,
});
export type VenueTrade = z.infer<typeof trade>;
export const tradeSearchResponse = envelope.extend({ trades: z.array(trade).nullable().optional() });

/** Order/cancel, Order/modify, Position/closeContract answer with the envelope only. */
export const ackResponse = envelope;

/** Request bodies (what the fake venue validates; the adapter builds them in mapper.ts). */
const placeOrderBracket = z.object({ ticks: int, type: int });
export const placeOrderRequest = z.object({
  accountId: int,
  contractId: z.string(),
  type: int,
  side: int,
  size: int.positive(),
  limitPrice: decimal.nullable().optional(),
  stopPrice: decimal.nullable().optional(),
  trailPrice: decimal.nullable().optional(),
  customTag: z.string().nullable().optional(),
  stopLossBracket: placeOrderBracket.nullable().optional(),
  takeProfitBracket: placeOrderBracket.nullable().optional(),
});
export const modifyOrderRequest = z.object({
  accountId: int,
  orderId: int,
  size: int.positive().nullable().optional(),
  limitPrice: decimal.nullable().optional(),
  stopPrice: decimal.nullable().optional(),
  trailPrice: decimal.nullable().optional(),
});
export const orderRefRequest = z.object({ accountId: int, orderId: int });
export const accountRequest = z.object({ accountId: int });
export const timeRangeRequest = z.object({
  accountId: int,
  startTimestamp: timestamp,
  endTimestamp: timestamp.nullable().optional(),
});
export const partialCloseRequest = z.object({ accountId: int, contractId: z.string(), size: int.positive() });
export const availableContractsRequest = z.object({ live: z.boolean() });
/** History/retrieveBars: `unit` 1 second, 2 minute, 3 hour, 4 day, 5 week, 6 month. */
export const retrieveBarsRequest = z.object({
  contractId: z.string(),
  live: z.boolean(),
  startTime: timestamp,
  endTime: timestamp,
  unit: int.min(1).max(6),
  unitNumber: int.positive(),
  limit: int.positive(),
  includePartialBar: z.boolean(),
});
export const bar = z.object({ t: timestamp, o: decimal, h: decimal, l: decimal, c: decimal, v: decimal });
export type VenueBar = z.infer<typeof bar>;
export const retrieveBarsResponse = envelope.extend({ bars: z.array(bar).nullable().optional() });
export const closeContractRequest = z.object({ accountId: int, contractId: z.string() });
export const contractSearchRequest = z.object({ searchText: z.string(), live: z.boolean() });
export const contractByIdRequest = z.object({ contractId: z.string() });
export const loginKeyRequest = z.object({ userName: z.string(), apiKey: z.string() });
