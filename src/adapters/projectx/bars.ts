/**
 * History/retrieveBars (docs/projectx.md): bars of one contract over a time range, `unit` 1 second
 * … 6 month, at most `limit` (the venue caps it at 20,000). The client routes this path through
 * its own rate lane (50 requests / 30 s), so bar reads never eat into the order lane.
 */
import type { Fixed } from '../../domain/money.ts';
import type { ProjectXClient } from './client.ts';
import { epochMs, fixedOfJson, type ContractInfo } from './mapper.ts';
import * as S from './schemas.ts';

export const BAR_UNITS = { second: 1, minute: 2, hour: 3, day: 4, week: 5, month: 6 } as const;

export interface BarQuery {
  readonly startMs: number;
  readonly endMs: number;
  readonly unit: keyof typeof BAR_UNITS;
  readonly unitNumber?: number;
  readonly limit?: number;
  readonly includePartialBar?: boolean;
}

export interface Bar {
  readonly ts: number;
  readonly open: Fixed;
  readonly high: Fixed;
  readonly low: Fixed;
  readonly close: Fixed;
  readonly volume: Fixed;
}

/** The bars, oldest first (the venue answers newest first). */
export async function retrieveBars(
  client: ProjectXClient,
  c: ContractInfo,
  q: BarQuery,
  live: boolean,
): Promise<Bar[]> {
  const r = await client.post(
    'History/retrieveBars',
    {
      contractId: c.contractId,
      live,
      startTime: new Date(q.startMs).toISOString(),
      endTime: new Date(q.endMs).toISOString(),
      unit: BAR_UNITS[q.unit],
      unitNumber: q.unitNumber ?? 1,
      limit: q.limit ?? 1000,
      includePartialBar: q.includePartialBar ?? false,
    },
    S.retrieveBarsResponse,
    { idempotent: true },
  );
  return (r.bars ?? [])
    .map((b) => ({
      ts: epochMs(b.t),
      open: fixedOfJson(b.o),
      high: fixedOfJson(b.h),
      low: fixedOfJson(b.l),
      close: fixedOfJson(b.c),
      volume: fixedOfJson(b.v),
    }))
    .sort((a, b) => a.ts - b.ts);
}
