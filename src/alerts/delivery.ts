/**
 * One channel's delivery: a bounded queue (the oldest alert is dropped, and counted, when it is
 * full) drained by a single worker that retries each alert with exponential backoff and jitter,
 * sending the same alert (same `id`) every time. Nothing here is awaited by whoever raised the
 * alert, so a slow or dead receiver only ever delays its own channel.
 */
import type { Logger } from '../node/logger.ts';
import type { Alert } from './alert.ts';
import type { AlertTransport } from './channels.ts';

export interface DeliveryOptions {
  /** Alerts waiting per channel before the oldest is dropped (default 100). */
  readonly queueSize?: number;
  /** Tries per alert, the first included (default 5). */
  readonly attempts?: number;
  /** First retry delay; doubles per retry up to `maxDelayMs` (defaults 1 s, 60 s). */
  readonly baseDelayMs?: number;
  readonly maxDelayMs?: number;
  /** A try without an answer in this time has failed (default 10 s). */
  readonly timeoutMs?: number;
  /** Told the outcome of every alert (delivered, or failed after its last try), e.g. a DeliveryLog. */
  readonly onOutcome?: (channel: string, alert: Alert, delivered: boolean) => void;
}

export interface DeliveryStats {
  readonly channel: string;
  readonly delivered: number;
  readonly failed: number;
  readonly dropped: number;
  readonly queued: number;
}

export class ChannelDelivery {
  private readonly queue: Alert[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  private wake: (() => void) | undefined;
  private readonly shutdown = new AbortController();
  private delivered = 0;
  private failed = 0;
  private dropped = 0;
  private readonly opts: Required<Omit<DeliveryOptions, 'onOutcome'>> & Pick<DeliveryOptions, 'onOutcome'>;

  constructor(
    readonly transport: AlertTransport,
    private readonly logger: Logger,
    opts: DeliveryOptions = {},
  ) {
    this.opts = { queueSize: 100, attempts: 5, baseDelayMs: 1000, maxDelayMs: 60_000, timeoutMs: 10_000, ...opts };
  }

  /** Queues the alert and returns at once. */
  enqueue(a: Alert): void {
    if (this.closed) return;
    if (this.queue.length >= this.opts.queueSize) {
      const lost = this.queue.shift();
      this.dropped++;
      this.logger.warn(
        { channel: this.transport.name, dropped: this.dropped, alertId: lost?.id },
        `alert channel ${this.transport.name}: queue full, oldest alert dropped (${this.dropped} so far)`,
      );
    }
    this.queue.push(a);
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  /** Resolves once the queue is empty and nothing is in flight. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops retrying and drops what is queued (shutdown). */
  close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.shutdown.abort();
    this.wake?.();
    this.transport.close?.();
  }

  stats(): DeliveryStats {
    return {
      channel: this.transport.name,
      delivered: this.delivered,
      failed: this.failed,
      dropped: this.dropped,
      queued: this.queue.length,
    };
  }

  private async drain(): Promise<void> {
    for (let a = this.queue.shift(); a && !this.closed; a = this.queue.shift()) await this.deliver(a);
  }

  private async deliver(a: Alert): Promise<void> {
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await this.transport.send(a, AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(this.opts.timeoutMs)]));
        this.delivered++;
        this.opts.onOutcome?.(this.transport.name, a, true);
        return;
      } catch (err) {
        if (this.closed) return;
        const why = (err as Error).message;
        if (attempt >= this.opts.attempts) {
          this.failed++;
          this.opts.onOutcome?.(this.transport.name, a, false);
          this.logger.error(
            { channel: this.transport.name, alertId: a.id, account: a.account, attempts: attempt },
            `alert ${a.kind} not delivered to ${this.transport.name} after ${attempt} attempt(s): ${why}`,
          );
          return;
        }
        this.logger.warn(
          { channel: this.transport.name, alertId: a.id, attempt },
          `alert ${a.kind} to ${this.transport.name}: ${why}; retrying`,
        );
        await this.sleep(this.backoff(attempt));
      }
    }
  }

  /** Exponential with "equal jitter": half the step fixed, half random, so retries do not bunch. */
  private backoff(attempt: number): number {
    const step = Math.min(this.opts.maxDelayMs, this.opts.baseDelayMs * 2 ** (attempt - 1));
    return step / 2 + Math.random() * (step / 2);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
