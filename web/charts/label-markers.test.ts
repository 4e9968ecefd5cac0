/** Label markers of the equity chart (web/charts/equity.ts labelMarkers): snapped, coloured, in time order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { labelMarkers } from './equity.ts';
import { THEMES } from './theme.ts';

test('labels sit below the line on the bar at or before their time; earlier ones on the first bar', () => {
  const times = [100, 160, 220];
  const m = labelMarkers(
    times,
    [
      { time: 200_000, text: 'late', color: '#ff0000' },
      { time: 100_000, text: 'first' },
      { time: 50_000, text: 'pre-open' },
    ],
    THEMES.light,
  );
  assert.deepEqual(
    m.map((x) => [x.time, x.text, x.color, x.position]),
    [
      [100, 'first', THEMES.light.benchmark, 'belowBar'],
      [100, 'pre-open', THEMES.light.benchmark, 'belowBar'],
      [160, 'late', '#ff0000', 'belowBar'],
    ],
  );
});
