/**
 * The error every failure crossing the API boundary becomes, without zod so
 * the console can throw and inspect it without loading the schemas
 * (errors.ts re-exports it with the schema and the SQL mapping).
 */
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

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DeskErrorData { code: ErrorCode; message: string; details?: unknown }

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
