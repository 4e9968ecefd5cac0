/**
 * Per channel, what reached its receiver: the count of alerts delivered and failed and the last
 * time of each, kept in `<data dir>/alert-deliveries.json` so `riskgate golive check` can tell
 * whether every configured channel has delivered an alert. Written on every outcome (alerts are
 * few; throttling keeps them so), replaced atomically.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Alert } from './alert.ts';

export interface ChannelDeliveryRecord {
  delivered: number;
  failed: number;
  lastDeliveredAt?: string;
  lastFailedAt?: string;
  lastKind?: string;
}

export type DeliveryRecords = Record<string, ChannelDeliveryRecord>;

export const DELIVERY_LOG_FILE = 'alert-deliveries.json';

export function deliveryLogPath(dataDir: string): string {
  return path.join(dataDir, DELIVERY_LOG_FILE);
}

/** The records of a data dir ({} when none were written yet or the file is unreadable). */
export function readDeliveryRecords(dataDir: string): DeliveryRecords {
  try {
    const json = JSON.parse(readFileSync(deliveryLogPath(dataDir), 'utf8')) as unknown;
    return json && typeof json === 'object' ? (json as DeliveryRecords) : {};
  } catch {
    return {};
  }
}

export class DeliveryLog {
  private readonly records: DeliveryRecords;

  constructor(
    private readonly dataDir: string,
    private readonly now: () => number,
  ) {
    this.records = readDeliveryRecords(dataDir);
  }

  record(channel: string, alert: Alert, delivered: boolean): void {
    const r = (this.records[channel] ??= { delivered: 0, failed: 0 });
    const at = new Date(this.now()).toISOString();
    if (delivered) {
      r.delivered++;
      r.lastDeliveredAt = at;
    } else {
      r.failed++;
      r.lastFailedAt = at;
    }
    r.lastKind = alert.kind;
    const file = deliveryLogPath(this.dataDir);
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(this.records, null, 1) + '\n');
      renameSync(`${file}.tmp`, file);
    } catch {
      // A full or read-only disk must not stop alerting; the check will report no delivery.
    }
  }
}
