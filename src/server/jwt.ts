/**
 * JWT bearer tokens (DESIGN §6): RS256 or EdDSA (Ed25519), verified with a public key read from a
 * PEM file (SPKI, `-----BEGIN PUBLIC KEY-----`). The signature, `exp` (and `nbf`), `iss` and `aud`
 * are checked; the principal comes from the claims: `sub` (its id), `role` (admin | trader |
 * viewer), `accounts` (an array of account ids, or `"*"`; admins always see all) and an optional
 * `tier` (rate limits). A token that fails any check yields no principal (401), never a reason the
 * caller could probe with.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { jwtVerify, type JWTPayload } from 'jose';
import { AppError } from '../errors.ts';
import { ROLES, type Principal, type Role } from './api-keys.ts';

export type JwtAlgorithm = 'RS256' | 'EdDSA';

export interface JwtOptions {
  /** The public key (PEM text or a KeyObject). */
  readonly publicKey: string | KeyObject;
  readonly issuer: string;
  readonly audience: string | readonly string[];
  /** Accepted algorithms; default: the one the key's type allows. */
  readonly algorithms?: readonly JwtAlgorithm[];
  /** Seconds of clock skew tolerated on exp/nbf (default 5). */
  readonly clockToleranceSec?: number;
  /** Verification time in ms (tests); default wall clock. */
  readonly now?: () => number;
}

/** The server.jwt section of the config, with the key file resolved against `baseDir`. */
export interface JwtConfig {
  readonly publicKeyFile: string;
  readonly issuer: string;
  readonly audience: string | readonly string[];
  readonly algorithms?: readonly JwtAlgorithm[] | undefined;
}

/** Reads the key file of `server.jwt` (a relative path is taken from `baseDir`, the config file's directory). */
export function jwtOptionsFromConfig(cfg: JwtConfig, baseDir: string): JwtOptions {
  const file = path.resolve(baseDir, cfg.publicKeyFile);
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError(
      'ERR_CONFIG_INVALID',
      `server.jwt.publicKeyFile: cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return {
    publicKey: pem,
    issuer: cfg.issuer,
    audience: cfg.audience,
    ...(cfg.algorithms ? { algorithms: cfg.algorithms } : {}),
  };
}

/** A verifier for `Authenticator.fromToken`; the key is parsed and checked against the algorithms once, here. */
export function jwtVerifier(opts: JwtOptions): (token: string) => Promise<Principal | undefined> {
  const key = typeof opts.publicKey === 'string' ? parseKey(opts.publicKey) : opts.publicKey;
  const algorithms = acceptedAlgorithms(key, opts.algorithms);
  const verifyOpts = {
    issuer: opts.issuer,
    audience: [...(typeof opts.audience === 'string' ? [opts.audience] : opts.audience)],
    algorithms,
    clockTolerance: opts.clockToleranceSec ?? 5,
    requiredClaims: ['exp', 'sub'],
  };
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, key, {
        ...verifyOpts,
        ...(opts.now ? { currentDate: new Date(opts.now()) } : {}),
      });
      return principalOfClaims(payload);
    } catch {
      return undefined;
    }
  };
}

/** The principal a verified token's claims grant, or undefined when they grant nothing valid. */
export function principalOfClaims(claims: JWTPayload): Principal | undefined {
  const role = claims.role;
  if (
    typeof claims.sub !== 'string' ||
    claims.sub === '' ||
    typeof role !== 'string' ||
    !(ROLES as readonly string[]).includes(role)
  )
    return undefined;
  const grant = claims.accounts;
  let accounts: readonly string[] | '*';
  if (role === 'admin' || grant === '*') accounts = '*';
  else if (Array.isArray(grant) && grant.length > 0 && grant.every((a) => typeof a === 'string' && a !== ''))
    accounts = [...new Set(grant as string[])];
  else return undefined;
  const tier = typeof claims.tier === 'string' && claims.tier !== '' ? claims.tier : undefined;
  return { id: claims.sub, role: role as Role, accounts, ...(tier ? { tier } : {}) };
}

function parseKey(pem: string): KeyObject {
  try {
    return createPublicKey({ key: pem, format: 'pem' });
  } catch (err) {
    throw new AppError(
      'ERR_CONFIG_INVALID',
      `server.jwt.publicKeyFile: not a PEM public key (SPKI): ${(err as Error).message}`,
    );
  }
}

function acceptedAlgorithms(key: KeyObject, wanted: readonly JwtAlgorithm[] | undefined): string[] {
  const type = key.asymmetricKeyType;
  const fits: Record<JwtAlgorithm, boolean> = { RS256: type === 'rsa', EdDSA: type === 'ed25519' };
  const algs = wanted ?? (Object.keys(fits) as JwtAlgorithm[]).filter((a) => fits[a]);
  const bad = algs.filter((a) => !fits[a]);
  if (algs.length === 0 || bad.length > 0)
    throw new AppError(
      'ERR_CONFIG_INVALID',
      `server.jwt: a ${type ?? 'unknown'} key cannot verify ${bad.join(', ') || 'RS256 or EdDSA'} tokens (RS256 needs an RSA key, EdDSA an Ed25519 key)`,
    );
  // jose names Ed25519 both "EdDSA" and "Ed25519".
  return algs.flatMap((a) => (a === 'EdDSA' ? ['EdDSA', 'Ed25519'] : [a]));
}
