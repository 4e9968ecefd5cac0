/**
 * JSON schema pieces shared by the routes (DESIGN §6): money and prices travel as decimal strings,
 * quantities as positive integers or decimal strings, ids as short printable tokens. Every object
 * is strict (additionalProperties false), so a misspelt field is a 400 naming it.
 */
import { AppError } from '../errors.ts';
import { MoneyFormatError, parseFixed, type Fixed } from '../domain/money.ts';

export const DECIMAL = '^-?\\d{1,18}(\\.\\d{1,18})?$';
export const POSITIVE_DECIMAL = '^\\d{1,18}(\\.\\d{1,18})?$';

/** A price or amount: a decimal string (never a JSON number: floats are inexact). */
export const decimal = { type: 'string', pattern: DECIMAL, maxLength: 40 } as const;
export const positiveDecimal = { type: 'string', pattern: POSITIVE_DECIMAL, maxLength: 40 } as const;
/** A quantity: a positive JSON integer or a positive decimal string. */
export const quantity = { anyOf: [{ type: 'integer', minimum: 1, maximum: 1_000_000_000 }, positiveDecimal] } as const;
/** Account ids as the node knows them; unknown ones answer the one 404, so only the length is bounded here. */
export const accountId = { type: 'string', minLength: 1, maxLength: 200 } as const;
export const token = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$' } as const;
export const symbol = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}$' } as const;
/** A reason journaled with an admin action: printable, no control characters. */
export const reason = {
  type: 'string',
  maxLength: 500,
  pattern: '^[^\\u0000-\\u001f\\u007f\\u202a-\\u202e\\u2066-\\u2069]*$',
} as const;

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: accountId },
  additionalProperties: false,
} as const;

/** A schema-checked decimal as Fixed; `field` names it when it is still out of range. */
export function fixedOf(field: string, text: string | number): Fixed {
  try {
    const v = parseFixed(String(text));
    return v;
  } catch (err) {
    if (err instanceof MoneyFormatError)
      throw new AppError('ERR_INPUT_INVALID', `body.${field}: not a decimal: ${String(text).slice(0, 40)}`);
    throw err;
  }
}

/** Refuses a blank reason (a schema cannot tell "   " from a reason), naming the field. */
export function requiredReason(text: string | undefined): string {
  if (text === undefined || text.trim() === '')
    throw new AppError('ERR_INPUT_INVALID', 'body.reason: required (it is journaled with the action)');
  return text.trim();
}
