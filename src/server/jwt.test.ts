/** JWT verification: keys generated here, every check (signature, exp, iss, aud, claims) able to fail. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportSPKI, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { jwtOptionsFromConfig, jwtVerifier, principalOfClaims } from './jwt.ts';

const NOW = Date.UTC(2026, 0, 5, 15, 0, 0);

async function sign(
  key: CryptoKey,
  alg: string,
  claims: JWTPayload,
  opts: { iss?: string; aud?: string; expSec?: number } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg })
    .setIssuer(opts.iss ?? 'https://idp.example')
    .setAudience(opts.aud ?? 'riskgate')
    .setSubject(String(claims.sub ?? 'alice'))
    .setIssuedAt(Math.floor(NOW / 1000) - 10)
    .setExpirationTime(Math.floor(NOW / 1000) + (opts.expSec ?? 300))
    .sign(key);
}

for (const alg of ['RS256', 'EdDSA'] as const) {
  test(`${alg}: a valid token yields its principal; expired, wrong aud, wrong iss, wrong signature yield none`, async () => {
    const pair = await generateKeyPair(alg, { extractable: true });
    const other = await generateKeyPair(alg, { extractable: true });
    const dir = mkdtempSync(path.join(tmpdir(), 'rg-jwt-'));
    writeFileSync(path.join(dir, 'jwt.pem'), await exportSPKI(pair.publicKey));
    const verify = jwtVerifier({
      ...jwtOptionsFromConfig({ publicKeyFile: 'jwt.pem', issuer: 'https://idp.example', audience: 'riskgate' }, dir),
      now: () => NOW,
    });
    const claims = { sub: 'alice', role: 'trader', accounts: ['A1'], tier: 'pro' };
    assert.deepEqual(await verify(await sign(pair.privateKey, alg, claims)), {
      id: 'alice',
      role: 'trader',
      accounts: ['A1'],
      tier: 'pro',
    });
    assert.equal(await verify(await sign(pair.privateKey, alg, claims, { expSec: -60 })), undefined, 'expired');
    assert.equal(
      await verify(await sign(pair.privateKey, alg, claims, { aud: 'someone-else' })),
      undefined,
      'wrong audience',
    );
    assert.equal(
      await verify(await sign(pair.privateKey, alg, claims, { iss: 'https://evil.example' })),
      undefined,
      'wrong issuer',
    );
    assert.equal(await verify(await sign(other.privateKey, alg, claims)), undefined, 'signed by another key');
    assert.equal(await verify('not.a.token'), undefined);
  });
}

test('a token signed with an algorithm the key does not allow is refused (no alg confusion)', async () => {
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const ed = await generateKeyPair('EdDSA', { extractable: true });
  const verify = jwtVerifier({
    publicKey: await exportSPKI(rsa.publicKey),
    issuer: 'https://idp.example',
    audience: 'riskgate',
    now: () => NOW,
  });
  assert.equal(await verify(await sign(ed.privateKey, 'EdDSA', { sub: 'a', role: 'admin' })), undefined);
  assert.throws(
    () => jwtVerifier({ publicKey: 'garbage', issuer: 'i', audience: 'a' }),
    /ERR_CONFIG_INVALID|not a PEM public key/,
  );
});

test('the key file must exist; an RSA key cannot be configured for EdDSA', async () => {
  const rsa = await generateKeyPair('RS256', { extractable: true });
  const dir = mkdtempSync(path.join(tmpdir(), 'rg-jwt-'));
  assert.throws(
    () => jwtOptionsFromConfig({ publicKeyFile: 'missing.pem', issuer: 'i', audience: 'a' }, dir),
    /server\.jwt\.publicKeyFile: cannot read .*missing\.pem/,
  );
  writeFileSync(path.join(dir, 'rsa.pem'), await exportSPKI(rsa.publicKey));
  assert.throws(
    () =>
      jwtVerifier(
        jwtOptionsFromConfig({ publicKeyFile: 'rsa.pem', issuer: 'i', audience: 'a', algorithms: ['EdDSA'] }, dir),
      ),
    /a rsa key cannot verify EdDSA/,
  );
});

test('claims: role and accounts are required for non-admins; "*" grants all; admins always see all', () => {
  assert.equal(principalOfClaims({ sub: 'a', role: 'root' }), undefined);
  assert.equal(principalOfClaims({ sub: 'a', role: 'trader' }), undefined, 'a trader without accounts');
  assert.equal(principalOfClaims({ sub: 'a', role: 'viewer', accounts: [1] as unknown as string[] }), undefined);
  assert.equal(principalOfClaims({ role: 'admin' }), undefined, 'no sub');
  assert.deepEqual(principalOfClaims({ sub: 'v', role: 'viewer', accounts: '*' }), {
    id: 'v',
    role: 'viewer',
    accounts: '*',
  });
  assert.deepEqual(principalOfClaims({ sub: 'root', role: 'admin', accounts: ['A1'] }), {
    id: 'root',
    role: 'admin',
    accounts: '*',
  });
});
