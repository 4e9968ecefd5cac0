/**
 * Admin actions on an account (DESIGN §1 invariant 4): an admin lock holds until an admin unlocks;
 * an admin unlock releases every lock early. Both are journaled like events (kind `admin`) so a
 * restart replays them in order.
 */
import { isoOf } from '../domain/events.ts';
import { AppError } from '../errors.ts';
import type { Decision } from './decision.ts';
import type { RiskEngine } from './risk-engine.ts';

export interface AdminCommand {
  readonly action: 'lock' | 'unlock';
  readonly account: string;
  readonly reason: string;
  /** Event-time of the action (ms). */
  readonly t: number;
  readonly actor?: string;
}

export function parseAdminCommand(body: unknown): AdminCommand {
  const b = body as Partial<AdminCommand> & { ts?: string };
  if (b?.action !== 'lock' && b?.action !== 'unlock')
    throw new AppError('ERR_INPUT_INVALID', 'admin action must be lock or unlock');
  if (typeof b.account !== 'string' || !b.account)
    throw new AppError('ERR_INPUT_INVALID', 'admin action needs an account');
  if (typeof b.reason !== 'string' || !b.reason.trim())
    throw new AppError('ERR_INPUT_INVALID', 'admin action needs a reason');
  const t = typeof b.t === 'number' ? b.t : Date.parse(String(b.ts));
  if (!Number.isFinite(t)) throw new AppError('ERR_INPUT_INVALID', 'admin action needs a time');
  return { action: b.action, account: b.account, reason: b.reason, t, ...(b.actor ? { actor: b.actor } : {}) };
}

/** Applies an admin command; returns its decisions (timers due first, as for any event). */
export function applyAdmin(engine: RiskEngine, cmd: AdminCommand): Decision[] {
  if (!cmd.reason.trim()) throw new AppError('ERR_INPUT_INVALID', 'a reason is required');
  const out: Decision[] = [];
  engine.advanceTo(cmd.t, out);
  const rec = engine.account(cmd.account);
  const ts = isoOf(cmd.t);
  const who = cmd.actor ? ` by ${cmd.actor}` : '';
  if (cmd.action === 'lock') {
    engine.lock(rec, {
      rule: 'ADMIN',
      until: 'admin',
      kind: 'lockout',
      since: cmd.t,
      reason: `admin lock${who}: ${cmd.reason}`,
    });
    out.push({
      t: cmd.t,
      ts,
      account: cmd.account,
      kind: 'admin',
      rule: 'ADMIN',
      action: 'lockout',
      until: 'admin',
      reason: `admin lock${who}: ${cmd.reason}`,
      outcomes: [{ kind: 'lockout', until: 'admin' }],
    });
  } else {
    const released = [...rec.state.locks.keys()];
    rec.state.locks.clear();
    out.push({
      t: cmd.t,
      ts,
      account: cmd.account,
      kind: 'admin',
      rule: 'ADMIN',
      action: 'unlock',
      reason: `admin unlock${who}: ${cmd.reason} (released: ${released.join(', ') || 'none'})`,
      outcomes: [],
    });
  }
  return out;
}
