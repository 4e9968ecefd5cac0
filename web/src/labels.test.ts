import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyLabelChange } from './labels.ts';
import type { Label } from './types.ts';

const label = (id: string, time: string, account = 'A1'): Label => ({ id, account, symbol: 'MES', time, text: id });

test('pushed label changes: created in time order, updated in place, deleted, other accounts ignored', () => {
  let l = applyLabelChange([], 'A1', { event: 'created', label: label('b', '2026-01-02T10:00:00.000Z') });
  l = applyLabelChange(l, 'A1', { event: 'created', label: label('a', '2026-01-02T09:00:00.000Z') });
  l = applyLabelChange(l, 'A1', { event: 'created', label: label('x', '2026-01-02T09:30:00.000Z', 'A2') });
  assert.deepEqual(
    l.map((x) => x.id),
    ['a', 'b'],
  );
  l = applyLabelChange(l, 'A1', {
    event: 'updated',
    label: { ...label('a', '2026-01-02T11:00:00.000Z'), text: 'moved' },
  });
  assert.deepEqual(
    l.map((x) => `${x.id}:${x.text}`),
    ['b:b', 'a:moved'],
  );
  l = applyLabelChange(l, 'A1', { event: 'deleted', label: label('b', '2026-01-02T10:00:00.000Z') });
  assert.deepEqual(
    l.map((x) => x.id),
    ['a'],
  );
});
