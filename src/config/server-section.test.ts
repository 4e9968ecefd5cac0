/** The config's `server` section (DESIGN §7): JWT and rate limits, strictly checked by path. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateConfigText } from './load.ts';

test('server: host, port, jwt and rate limits with tiers parse; rate-limit defaults fill in', () => {
  const { config, problems } = validateConfigText(
    'server:\n  host: 127.0.0.1\n  port: 8080\n  jwt: { publicKeyFile: keys/jwt.pem, issuer: https://idp.example, audience: riskgate, algorithms: [EdDSA] }\n  rateLimits: { tiers: { pro: { perMinute: 3000 } } }\n',
  );
  assert.deepEqual(problems, []);
  assert.deepEqual(config?.server?.rateLimits, { default: { perMinute: 600 }, tiers: { pro: { perMinute: 3000 } } });
  assert.equal(config?.server?.jwt?.publicKeyFile, 'keys/jwt.pem');
});

test('server: unknown keys, wrong algorithms and non-positive limits are errors naming their path', () => {
  const paths = (yaml: string) => validateConfigText(yaml).problems.map((p) => p.path);
  assert.deepEqual(
    validateConfigText('server:\n  jwt: { publicKeyFile: k.pem, issuer: i, audience: a, secret: x }\n').problems,
    [{ path: 'server.jwt', message: 'Unrecognized key: "secret"' }],
  );
  assert.ok(
    paths('server:\n  jwt: { publicKeyFile: k.pem, issuer: i, audience: a, algorithms: [HS256] }\n').some((p) =>
      p.includes('server.jwt.algorithms'),
    ),
  );
  assert.ok(paths('server:\n  jwt: { issuer: i, audience: a }\n').some((p) => p.includes('server.jwt.publicKeyFile')));
  assert.ok(
    paths('server:\n  rateLimits: { default: { perMinute: 0 } }\n').some((p) =>
      p.includes('server.rateLimits.default.perMinute'),
    ),
  );
  assert.ok(
    paths('server:\n  rateLimits: { tiers: { pro: { perSecond: 5 } } }\n').some((p) =>
      p.includes('server.rateLimits.tiers.pro'),
    ),
  );
  assert.deepEqual(paths('server:\n  tls: true\n'), ['server']);
});
