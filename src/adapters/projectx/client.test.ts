import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProjectXClient, jwtExpiry } from './client.ts';
import * as S from './schemas.ts';
import { isAppError } from '../../errors.ts';
import { startFakeProjectX } from './fake/server.ts';

describe('ProjectXClient session', () => {
  it('reads exp from a JWT', () => {
    const tok = `x.${Buffer.from(JSON.stringify({ exp: 1700000000 })).toString('base64url')}.y`;
    assert.equal(jwtExpiry(tok), 1_700_000_000_000);
    assert.equal(jwtExpiry('opaque'), undefined);
  });

  it('refreshes once before expiry, however many calls wait for it', async () => {
    const fake = await startFakeProjectX();
    let offset = 0;
    const client = new ProjectXClient({
      baseUrl: fake.url,
      username: 'trader',
      apiKey: () => 'key-123',
      now: () => Date.now() + offset,
    });
    try {
      await client.post('Account/search', { onlyActiveAccounts: true }, S.accountSearchResponse, { idempotent: true });
      offset = 23.5 * 60 * 60 * 1000; // inside the refresh margin of a 24 h token
      await Promise.all(
        Array.from({ length: 5 }, () =>
          client.post('Position/searchOpen', { accountId: 7001 }, S.positionSearchResponse, { idempotent: true }),
        ),
      );
      assert.equal(fake.log.filter((l) => l.path === 'Auth/validate').length, 1);
      assert.equal(fake.log.filter((l) => l.path === 'Auth/loginKey').length, 1);
    } finally {
      client.close();
      await fake.close();
    }
  });

  it('turns refused credentials into ERR_BROKER_AUTH without echoing the key', async () => {
    const fake = await startFakeProjectX();
    const client = new ProjectXClient({ baseUrl: fake.url, username: 'trader', apiKey: () => 'wrong-secret' });
    try {
      await assert.rejects(
        client.post('Account/search', {}, S.accountSearchResponse, { idempotent: true }),
        (e) => isAppError(e) && e.code === 'ERR_BROKER_AUTH' && !e.message.includes('wrong-secret'),
      );
    } finally {
      client.close();
      await fake.close();
    }
  });

  it('maps success:false to a catalogued error carrying the venue code', async () => {
    const fake = await startFakeProjectX();
    const client = new ProjectXClient({ baseUrl: fake.url, username: 'trader', apiKey: () => 'key-123' });
    try {
      await assert.rejects(
        client.post('Order/cancel', { accountId: 7001, orderId: 42 }, S.ackResponse, { idempotent: true }),
        (e) => isAppError(e) && e.code === 'ERR_BROKER_REJECTED' && e.details?.['venueErrorCode'] === 1,
      );
    } finally {
      client.close();
      await fake.close();
    }
  });
});
