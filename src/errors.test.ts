/** docs/errors.md lists exactly the catalog: every code with its status, nothing more. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AppError, ERRORS } from './errors.ts';

test('docs/errors.md and the catalog list the same codes with the same HTTP status', () => {
  const doc = readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8');
  const documented = new Map(
    [...doc.matchAll(/^\|\s*`(ERR_[A-Z0-9_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((m) => [m[1]!, Number(m[2])]),
  );
  const catalog = new Map(Object.entries(ERRORS).map(([code, e]) => [code, e.status]));
  assert.deepEqual([...documented.keys()].sort(), [...catalog.keys()].sort());
  for (const [code, status] of catalog) assert.equal(documented.get(code), status, code);
});

test('codes are ERR_<AREA>_<WHAT>, statuses are HTTP error statuses, AppError carries both', () => {
  for (const [code, e] of Object.entries(ERRORS)) {
    assert.match(code, /^ERR_[A-Z0-9]+_[A-Z0-9_]+$/);
    assert.ok(e.status >= 400 && e.status < 600, code);
  }
  const err = new AppError('ERR_ACCOUNT_UNKNOWN', 'unknown account X');
  assert.deepEqual(err.toJSON(), { error: { code: 'ERR_ACCOUNT_UNKNOWN', message: 'unknown account X' } });
  assert.equal(err.status, 404);
});
