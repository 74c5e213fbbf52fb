import { z } from 'zod';
import { DeskError, ERROR_CODES, type DeskErrorData, type ErrorCode } from './desk-error';

// The class lives in desk-error.ts (no zod) so the console's first chunk stays small.
export { DeskError, ERROR_CODES, type DeskErrorData, type ErrorCode };

export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const DeskErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
}) satisfies z.ZodType<DeskErrorData>;

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
