/**
 * Typed domain errors. Services throw these; the port layer (HTTP, MQTT bridge, jobs) turns them into
 * responses through one handler. No transport status codes here.
 */
export type ErrorCode =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'request_timeout'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'bad_gateway'
  | 'not_implemented'
  | 'internal';

export class AppError extends Error {
  override readonly name: string = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Safe-to-show details (e.g. which field failed validation). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class ValidationError extends AppError {
  override readonly name = 'ValidationError';
  constructor(message: string, details?: unknown) {
    super('bad_request', message, details);
  }
}

export class NotFoundError extends AppError {
  override readonly name = 'NotFoundError';
  constructor(message: string) {
    super('not_found', message);
  }
}

export class UnavailableError extends AppError {
  override readonly name = 'UnavailableError';
  constructor(message: string) {
    super('unavailable', message);
  }
}

/** A service we depend on (e.g. the mall's API) failed or answered something unusable. */
export class UpstreamError extends AppError {
  override readonly name = 'UpstreamError';
  constructor(message: string) {
    super('bad_gateway', message);
  }
}

export class UnauthenticatedError extends AppError {
  override readonly name = 'UnauthenticatedError';
  constructor(message: string) {
    super('unauthenticated', message);
  }
}

export class ForbiddenError extends AppError {
  override readonly name = 'ForbiddenError';
  constructor(message: string) {
    super('forbidden', message);
  }
}

export class ConflictError extends AppError {
  override readonly name = 'ConflictError';
  constructor(message: string) {
    super('conflict', message);
  }
}

export class RateLimitedError extends AppError {
  override readonly name = 'RateLimitedError';
  constructor(
    message: string,
    readonly retryAfterS: number,
  ) {
    super('rate_limited', message, { retry_after_s: retryAfterS });
  }
}

export class PayloadTooLargeError extends AppError {
  override readonly name = 'PayloadTooLargeError';
  constructor(message: string) {
    super('payload_too_large', message);
  }
}
