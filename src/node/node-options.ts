/** How a trading node is opened or built (TradingNode.open / build). */
import type { RawConfig } from '../config/schema.ts';
import type { EngineMode } from '../engine/risk-engine.ts';
import type { Logger } from './logger.ts';
import type { RuntimeOptions } from './runtime.ts';

export interface TradingNodeOptions extends RuntimeOptions {
  /** Required for a new store; an existing store keeps its own (a changed one is applied when `configGiven`). */
  readonly config?: RawConfig;
  readonly dataDir: string;
  /** Read the store beside a running node (status queries): no lock, no commands. */
  readonly readOnly?: boolean;
  /** Engine mode of a new store (default enforce); an existing store keeps its own. */
  readonly mode?: EngineMode;
  /** Shown to a second process that tries to write the data dir. */
  readonly owner?: string;
  readonly now?: () => number;
  readonly logger?: Logger;
  /** Called with every operational error of the live parts (they are logged as well). */
  readonly onError?: (err: unknown) => void;
  /** The stream epoch of this start (bus.ts newStreamEpoch; default a fresh one). */
  readonly streamEpoch?: string;
  /** Journal records read back into the read models at start (default 100 000). */
  readonly warmRecords?: number;
}
