import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import { registerErrors } from './errors.ts';
import { dashboardRoutes, isServerPath } from './dashboard.ts';

async function serverOver(dir: string) {
  const app = Fastify();
  registerErrors(app);
  app.get('/api/v1/accounts', async () => ({ accounts: [] }));
  await app.register(dashboardRoutes(dir));
  return app;
}

function builtDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-dash-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<div id="app"></div>');
  writeFileSync(path.join(dir, 'assets/index-abc123.js'), 'console.log(1)');
  return dir;
}

test('hashed assets are immutable, index.html is revalidated, client routes fall back to it', async () => {
  const app = await serverOver(builtDir());
  const index = await app.inject({ url: '/' });
  assert.equal(index.statusCode, 200);
  assert.equal(index.headers['cache-control'], 'no-cache');
  assert.match(String(index.headers['content-type']), /text\/html/);
  const asset = await app.inject({ url: '/assets/index-abc123.js' });
  assert.equal(asset.body, 'console.log(1)');
  assert.match(String(asset.headers['cache-control']), /immutable/);
  assert.match(String(asset.headers['content-type']), /javascript/);
  const route = await app.inject({ url: '/accounts/PAPER-1?tab=orders' });
  assert.equal(route.body, '<div id="app"></div>');
  assert.equal((await app.inject({ url: '/assets/gone-123.js' })).statusCode, 404);
  await app.close();
});

test('server paths keep their own answers: the API 404 is JSON, never the dashboard', async () => {
  const app = await serverOver(builtDir());
  assert.deepEqual((await app.inject({ url: '/api/v1/accounts' })).json(), { accounts: [] });
  for (const url of ['/api/v1/nope', '/metricsx/../api/x', '/docs/nope', '/health/x']) {
    const r = await app.inject({ url });
    if (isServerPath(url)) assert.equal(r.json().error.code, 'ERR_ROUTE_NOT_FOUND', url);
  }
  assert.equal((await app.inject({ url: '/api/v1/nope' })).statusCode, 404);
  await app.close();
});

test('a path outside the build directory is never read', async () => {
  const dir = builtDir();
  writeFileSync(path.join(dir, '..', 'secret.txt'), 'secret');
  const app = await serverOver(dir);
  for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
    const r = await app.inject({ url });
    assert.notEqual(r.body, 'secret', url);
  }
  await app.close();
});

test('without a build, / explains how to make one', async () => {
  const app = await serverOver(path.join(tmpdir(), 'rg-no-such-build'));
  const r = await app.inject({ url: '/' });
  assert.equal(r.statusCode, 503);
  assert.match(r.body, /npm run build/);
  await app.close();
});
