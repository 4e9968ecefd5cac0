/**
 * A channel's throttle, pure over the caller's clock: an alert key (kind, account, rule) goes out at
 * most once per cooldown, and the channel sends at most `maxPerHour` alerts in any sliding hour.
 * What is held back is counted per key and handed out as one digest once its window reopens: the
 * key's cooldown has ended and the hourly cap has room (the digest takes that room).
 */
import { severityRank, type Alert, type AlertKind, type Severity } from './alert.ts';

const HOUR_MS = 3_600_000;

export interface Suppressed {
  readonly key: string;
  readonly kind: AlertKind;
  readonly account: string;
  readonly rule?: string;
  severity: Severity;
  count: number;
  readonly firstTs: string;
  lastTs: string;
  lastMessage: string;
}

export class ChannelThrottle {
  private readonly lastSent = new Map<string, number>();
  private sentAt: number[] = [];
  private readonly held = new Map<string, Suppressed>();

  constructor(
    private readonly cooldownMs: number,
    private readonly maxPerHour: number,
  ) {}

  /** True when the alert may go out now (and counts it); otherwise it is held for the digest. */
  admit(a: Alert, now: number): boolean {
    if (this.inCooldown(a.key, now) || !this.hasRoom(now)) {
      this.hold(a);
      return false;
    }
    this.lastSent.set(a.key, now);
    this.sentAt.push(now);
    return true;
  }

  /** The held alerts whose window has reopened, when there is room to send their digest (taking it). */
  takeDigest(now: number): Suppressed[] {
    if (this.held.size === 0 || !this.hasRoom(now)) return [];
    const ready = [...this.held.values()].filter((s) => !this.inCooldown(s.key, now));
    if (ready.length === 0) return [];
    for (const s of ready) this.held.delete(s.key);
    this.sentAt.push(now);
    return ready;
  }

  /** Alerts held back and not yet in a digest. */
  heldCount(): number {
    let n = 0;
    for (const s of this.held.values()) n += s.count;
    return n;
  }

  private inCooldown(key: string, now: number): boolean {
    const last = this.lastSent.get(key);
    return last !== undefined && now - last < this.cooldownMs;
  }

  private hasRoom(now: number): boolean {
    this.sentAt = this.sentAt.filter((t) => now - t < HOUR_MS);
    return this.sentAt.length < this.maxPerHour;
  }

  private hold(a: Alert): void {
    const s = this.held.get(a.key);
    if (!s) {
      this.held.set(a.key, {
        key: a.key,
        kind: a.kind,
        account: a.account,
        ...(a.rule ? { rule: a.rule } : {}),
        severity: a.severity,
        count: 1,
        firstTs: a.ts,
        lastTs: a.ts,
        lastMessage: a.message,
      });
      return;
    }
    s.count++;
    s.lastTs = a.ts;
    s.lastMessage = a.message;
    if (severityRank(a.severity) > severityRank(s.severity)) s.severity = a.severity;
  }
}
