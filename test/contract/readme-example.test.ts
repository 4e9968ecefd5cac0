/** The README's hand-checked example: the replay report matches the hand calculation to the cent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(import.meta.url), '../../..');

test('README example: gross 42.50, fees 2.59, net 39.91, short 1 @ 17990.25 with −9.50 unrealized', () => {
  const run = (format: string) =>
    execFileSync(
      'node',
      [
        'bin/riskgate.mjs',
        'replay',
        'examples/readme/events.ndjson',
        '--config',
        'examples/readme/config.yaml',
        '--report',
        format,
      ],
      { cwd: root, encoding: 'utf8' },
    );
  const r = JSON.parse(run('json'));
  const day = r.accounts.A1.days['2026-04-07'];
  assert.equal(day.grossRealizedPnl, '42.5');
  assert.equal(day.fees, '2.59');
  assert.equal(day.netRealizedPnl, '39.91');
  assert.equal(day.fills, 4);
  assert.deepEqual(day.breaches, [
    { rule: 'RULE-004', ts: '2026-04-07T13:45:00.000Z', action: 'close_position', symbol: 'MNQ' },
  ]);
  assert.deepEqual(r.accounts.A1.positions, { MNQ: { qty: -1, avgPrice: '17990.25', unrealizedPnl: '-9.5' } });
  // The README shows the text report verbatim.
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const text = run('text').split('\nevents:')[0]!;
  assert.ok(readme.includes(text), 'README text report is current');
});
