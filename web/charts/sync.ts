/** Keeps the visible time range of several charts the same (price above equity, say). */
import type { IChartApi, Time } from 'lightweight-charts';

export function syncTimeRanges(charts: readonly IChartApi[]): void {
  let applying = false;
  for (const source of charts) {
    source.timeScale().subscribeVisibleTimeRangeChange((range) => {
      if (applying || range === null) return;
      applying = true;
      try {
        for (const other of charts)
          if (other !== source) other.timeScale().setVisibleRange(range as { from: Time; to: Time });
      } catch {
        // A range outside another chart's data is left as it is there.
      } finally {
        applying = false;
      }
    });
  }
}
