/**
 * The ownership rules of saved items (strategies, chart labels; workspace.ts) on the API: an item
 * of an account is seen by every principal that may see the account, one without an account only
 * by its maker; admins see all. Another's item is the same 404 as a missing one, and an item's
 * account is named like any account (a foreign one is the account 404).
 */
import type { FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../errors.ts';
import { requireRole, visibleAccount } from './auth.ts';
import { mayRead, type Owner, type Saved } from './workspace.ts';

/** The owner of a new item: the account named (which the caller must see), else the caller. */
export function ownerOf(req: FastifyRequest, account: string | undefined): Owner {
  const p = requireRole(req, 'trader');
  return { account: account === undefined ? null : visibleAccount(req, account), createdBy: p.id };
}

/** The item if the caller may see it; else the one 404 for missing and foreign. */
export function visibleItem<T>(
  req: FastifyRequest,
  item: Saved<T> | undefined,
  code: ErrorCode,
  what: string,
  id: string,
): Saved<T> {
  if (!item || !req.principal || !mayRead(req.principal, item)) throw new AppError(code, `unknown ${what} ${id}`);
  return item;
}

/** Items the caller may see, of one account when `account` is given (a foreign one is the account 404). */
export function visibleItems<T>(
  req: FastifyRequest,
  items: (account?: string) => Saved<T>[],
  account?: string,
): Saved<T>[] {
  const p = req.principal!;
  if (account !== undefined) visibleAccount(req, account);
  return items(account).filter((i) => mayRead(p, i));
}

/** An item as the API answers it: its id and owner, then its fields. */
export function itemJson<T extends object>(i: Saved<T>): Record<string, unknown> {
  return {
    id: i.id,
    account: i.account,
    createdBy: i.createdBy,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
    ...i.body,
  };
}

export const savedIdParams = (prefix: string) =>
  ({
    type: 'object',
    required: ['id'],
    additionalProperties: false,
    properties: { id: { type: 'string', pattern: `^${prefix}_[0-9a-f]{16}$` } },
  }) as const;
