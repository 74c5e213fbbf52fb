import { z } from 'zod';

/**
 * Every failure that crosses the API boundary carries one of these codes. The
 * SQL functions raise messages that start with the same words (DESIGN.md §8),
 * so a database error maps onto a code without guessing.
 */
export const ERROR_CODES = [
  'invalid_input',
  'unknown_command',
  'unauthorized',
  'not_operator',
  'not_found',
  'already_claimed',
  'at_capacity',
  'not_allowed',
  'invalid_status',
  'lease_lost',
  'offline',
  'database_too_new',
  'internal',
] as const;

export const ErrorCodeSchema = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const DeskErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type DeskErrorData = z.infer<typeof DeskErrorSchema>;

export class DeskError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'DeskError';
    this.code = code;
    this.details = details;
  }
  toJSON(): DeskErrorData {
    return { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) };
  }
}

const SQL_CODE_WORDS = new Set<ErrorCode>([
  'not_operator', 'not_found', 'already_claimed', 'at_capacity', 'not_allowed',
  'invalid_status', 'invalid_input', 'lease_lost',
]);

/** Maps anything thrown (a DeskError, a database error whose message starts with a code word, a bug) to a DeskError. */
export function toDeskError(err: unknown): DeskError {
  if (err instanceof DeskError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const word = /^([a-z_]+)\b/.exec(message)?.[1] as ErrorCode | undefined;
  if (word && SQL_CODE_WORDS.has(word)) {
    return new DeskError(word, message.replace(/^[a-z_]+:?\s*/, '') || word);
  }
  return new DeskError('internal', message);
}

export function isDeskErrorData(value: unknown): value is DeskErrorData {
  return DeskErrorSchema.safeParse(value).success;
}
