/**
 * The closed set of error codes the API can answer with. Services throw AppError; the server maps the
 * code to an HTTP status in exactly one place (httpStatusOf).
 */
export const ERROR_CODES = [
  'bad_request',
  'validation_failed',
  'unauthenticated',
  'forbidden',
  'csrf_rejected',
  'not_found',
  'conflict',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
  'unavailable',
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  csrf_rejected: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unavailable: 503,
  internal: 500,
};

export function httpStatusOf(code: ErrorCode): number {
  return STATUS[code];
}

/** One problem with one piece of input, e.g. a feature of an imported file or a row of a CSV. */
export interface ErrorDetail {
  /** Where: "features[3]", "row 12", "body.lat". */
  path: string;
  /** The English wording, for logs and API users. */
  message: string;
  /** What went wrong as a stable key (e.g. `zod.too_small`, `csv.fieldCount`) that clients word in their language. */
  code?: string;
  /** The values the wording needs (`{ minimum: 12 }`). */
  params?: Record<string, string | number>;
}

/** Values a client may put into its own wording of an error. */
export type ErrorParams = Record<string, string | number>;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetail[] | undefined;
  /** Seconds the caller should wait, for rate_limited. */
  readonly retryAfterS: number | undefined;
  /** Why, as a stable key a client words in its own language (`csv.rowsInvalid`); the message stays English. */
  readonly reason: string | undefined;
  readonly params: ErrorParams | undefined;

  constructor(code: ErrorCode, message: string, options: { details?: ErrorDetail[]; retryAfterS?: number; cause?: unknown; reason?: string; params?: ErrorParams } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.details = options.details;
    this.retryAfterS = options.retryAfterS;
    this.reason = options.reason;
    this.params = options.params;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
