/** Local admin access for the CLI: owner-only files, revoked at stop and after a crash. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiKeyStore } from './api-keys.ts';
import { apiInfoPath, localAdminKeyPath, publishLocalAccess, readLocalAccess } from './local-admin.ts';

test('publish writes a working admin key and the URL (0600); unpublish revokes and removes them; a left-over key is revoked', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-local-'));
  const keys = ApiKeyStore.open(dir);
  try {
    publishLocalAccess(dir, 'http://127.0.0.1:1111', keys); // a node that crashed: never unpublished
    const crashed = readLocalAccess(dir)!;
    const unpublish = publishLocalAccess(dir, 'http://127.0.0.1:2222', keys);
    assert.equal(keys.verify(crashed.key), undefined, "the crashed node's key is revoked");
    const access = readLocalAccess(dir)!;
    assert.equal(access.api.url, 'http://127.0.0.1:2222');
    assert.equal(access.api.pid, process.pid);
    assert.equal(keys.verify(access.key)?.role, 'admin');
    for (const f of [localAdminKeyPath(dir), apiInfoPath(dir)]) assert.equal(statSync(f).mode & 0o777, 0o600, f);
    unpublish();
    assert.equal(keys.verify(access.key), undefined);
    assert.ok(!existsSync(localAdminKeyPath(dir)) && !existsSync(apiInfoPath(dir)));
    assert.equal(readLocalAccess(dir), undefined);
  } finally {
    keys.close();
  }
});
