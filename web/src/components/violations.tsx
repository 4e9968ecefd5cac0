/** The violations timeline, grouped by trading day (the account's time zone). */
import { byTradingDay } from '../account-state.ts';
import { formatTime, tradingDayOf } from '../format.ts';
import { ruleName } from '../api.ts';
import type { Violation } from '../types.ts';

export function Violations({
  violations,
  timezone,
  resetTime,
}: {
  violations: readonly Violation[];
  timezone: string;
  resetTime: string;
}) {
  const days = byTradingDay(violations, (iso) => tradingDayOf(iso, timezone, resetTime));
  return (
    <section class="card" aria-labelledby="h-violations">
      <h2 id="h-violations">Violations</h2>
      {days.length === 0 && <p class="muted">None.</p>}
      <div class="scroll">
        {days.map((d) => (
          <div key={d.day} class="day">
            <h3>Trading day {d.day}</h3>
            <ol class="timeline" data-testid="violations">
              {d.rows.map((v, i) => (
                <li key={`${v.ts}-${v.rule}-${i}`} class={`kind-${v.kind}`}>
                  <span class="num time">{formatTime(v.ts, timezone)}</span>
                  <span class="tag">{v.kind}</span>
                  <strong>{ruleName(v.rule)}</strong>
                  <span class="action">{v.action.replace(/_/g, ' ')}</span>
                  <span class="reason">{v.reason}</span>
                </li>
              ))}
            </ol>
          </div>
        ))}
      </div>
    </section>
  );
}
