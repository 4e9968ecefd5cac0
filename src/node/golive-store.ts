/**
 * The go-live checklist of an account read from a node's store: its journal (shadow days,
 * gateway alerts, trading states, chain), its config (stage, required days, alert channels) and
 * the alert delivery records beside it.
 */
import { readDeliveryRecords } from '../alerts/delivery-log.ts';
import { channelName } from '../alerts/channels.ts';
import { DEFAULT_SHADOW_DAYS } from '../config/schema.ts';
import { stageOf } from '../config/stage.ts';
import { canonicalIsoMs } from '../domain/events.ts';
import { AppError } from '../errors.ts';
import { verifyJournal } from '../store/sqlite/verify.ts';
import { goLiveCheck, type GoLiveResult } from './golive.ts';
import type { TradingNode } from './node.ts';
import { journalPath } from './persistent-engine.ts';

export function goLiveOf(node: TradingNode, account: string, opts: { days?: number; now?: number } = {}): GoLiveResult {
  const config = node.config;
  if (!node.accounts.includes(account))
    throw new AppError(
      'ERR_ACCOUNT_UNKNOWN',
      `unknown account ${account} (known: ${node.accounts.join(', ') || 'none'})`,
    );
  const records = [
    ...node.journal({ kind: 'alert', account, limit: Infinity }),
    ...node.journal({ kind: 'trading_state', account, limit: Infinity }),
  ].sort((a, b) => a.seq - b.seq);
  return goLiveCheck({
    account,
    mode: node.mode,
    dataDir: node.dataDir,
    stage: config ? stageOf(config, account) : undefined,
    currentDay: node.dayLabelAt(Math.max(node.tradingDay?.start ?? 0, opts.now ?? Date.now())),
    requiredDays: opts.days ?? config?.golive?.shadowDays ?? DEFAULT_SHADOW_DAYS,
    eventDays: node.tradingDays(account),
    records,
    dayOf: (ts) => node.dayLabelAt(canonicalIsoMs(ts)),
    channels: (config?.alerts?.channels ?? []).map((c, i) => channelName(c, i)),
    deliveries: readDeliveryRecords(node.dataDir),
    journal: journalCheck(journalPath(node.dataDir)),
  });
}

function journalCheck(file: string): { ok: boolean; detail: string } {
  const v = verifyJournal(file);
  return v.ok
    ? { ok: true, detail: `hash chain intact: ${v.records} records, head ${v.head.hash.slice(0, 16)}…` }
    : {
        ok: false,
        detail: `journal tampered: ${v.target === 'record' ? 'first bad record' : 'bad snapshot'} seq=${v.seq} (${v.reason})`,
      };
}
