/** The API's JSON shapes the dashboard reads (DESIGN §6). Money and prices are decimal strings. */
export type Role = 'admin' | 'trader' | 'viewer';
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';
/** The store's execution mode: `shadow` watches and journals what riskgate would do, enforcing nothing. */
export type ExecutionMode = 'shadow' | 'enforce';

export interface RuleDistance {
  readonly rule: string;
  readonly value: string;
  readonly limit: string;
  readonly remaining: string;
  readonly usedPct: number;
}

export interface Lock {
  readonly rule: string;
  readonly kind: 'lockout' | 'cooldown';
  /** ISO end time, or 'admin' / 'canTrade' for locks without a clock end. */
  readonly until: string;
  readonly since: string;
  readonly reason: string;
}

export interface Position {
  readonly symbol: string;
  readonly qty: number | string;
  readonly avgPrice: string;
  readonly unrealizedPnl: string;
}

export interface Risk {
  readonly account: string;
  readonly asOf: string;
  readonly tradingDay: string;
  readonly state: TradingState;
  readonly canTrade: boolean;
  readonly day: { grossRealizedPnl: string; fees: string; netRealizedPnl: string; fills: number };
  readonly lossRoom: string | null;
  readonly locks: readonly Lock[];
  readonly distances: readonly RuleDistance[];
  readonly positions: readonly Position[];
  readonly stateReasons: readonly string[];
  readonly mode?: ExecutionMode;
}

export interface Order {
  readonly orderId: string;
  readonly account: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number | string;
  readonly orderType: string;
  readonly price?: string;
  readonly stopPrice?: string;
  readonly status: string;
  readonly filledQty: string;
  readonly placedAt: string;
  readonly updatedAt: string;
}

export interface Fill {
  readonly ts: string;
  readonly orderId: string;
  readonly fillId: string;
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly qty: number | string;
  readonly price: string;
  readonly fee: string;
}

export interface Violation {
  readonly ts: string;
  readonly account: string;
  readonly kind: string;
  readonly rule: string;
  readonly action: string;
  readonly symbol?: string;
  readonly orderId?: string;
  readonly until?: string;
  readonly reason: string;
}

export interface AccountSummary {
  readonly account: string;
  readonly state: TradingState;
  readonly canTrade: boolean;
  readonly netRealizedPnl: string;
  readonly positions: number;
  readonly mode?: ExecutionMode;
}

export interface Quote {
  readonly symbol: string;
  readonly bid?: string;
  readonly ask?: string;
  readonly last?: string;
  readonly ts: string;
}

/** A message of an account's stream: `seq` grows by one per message of the account. */
export interface AccountMessage {
  readonly seq: number;
  readonly channel: string;
  readonly account: string;
  readonly ts: string;
  readonly data: Record<string, unknown>;
}

/** A chart label (GET /api/v1/labels). */
export interface Label {
  readonly id: string;
  readonly account?: string | null;
  readonly symbol: string;
  /** ISO time. */
  readonly time: string;
  readonly text: string;
  readonly price?: string;
  readonly color?: string;
  readonly kind?: string;
}

export type LabelEvent = 'created' | 'updated' | 'deleted';

export interface ReportBreach {
  readonly rule: string;
  readonly ts: string;
  readonly action: string;
  readonly symbol?: string;
  readonly until?: string;
}

/** GET /api/v1/accounts/:id/reports/daily (the figures the dashboard shows). */
export interface DailyReport {
  readonly account: string;
  readonly date: string;
  readonly mode: 'shadow' | 'enforce';
  readonly complete: boolean;
  readonly grossRealizedPnl: string;
  readonly fees: string;
  readonly netRealizedPnl: string;
  readonly unrealizedPnl: string;
  readonly trades: number;
  readonly maxDrawdown: string;
  readonly slippage: { readonly fills: number; readonly ticks: string; readonly money: string };
  readonly breaches: readonly ReportBreach[];
  readonly rejections: readonly { readonly rule: string; readonly ts: string; readonly orderId: string }[];
}

/** GET /api/v1/accounts/:id/shadow-report: what riskgate would have done. */
export interface ShadowReport {
  readonly date: string;
  readonly mode: 'shadow' | 'enforce';
  readonly wouldHaveLockedAt: { readonly ts: string; readonly rule: string; readonly until: string } | null;
  readonly wouldHaveFlattenedAt: { readonly ts: string; readonly rule: string } | null;
  readonly wouldHaveClosed: readonly ReportBreach[];
  readonly wouldHaveRejected: readonly { readonly rule: string; readonly ts: string; readonly orderId: string }[];
}
