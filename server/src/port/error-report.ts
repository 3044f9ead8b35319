import { randomUUID } from 'node:crypto';
import { AppError, type ErrorCode } from '../errors.js';
import type { Logger } from '../log.js';

/** What every port (HTTP, MQTT bridge, jobs) makes of a thrown value. */
export interface ErrorReport {
  code: ErrorCode;
  /** Message safe to show the caller; internal errors never leak their own message. */
  message: string;
  details?: unknown;
  /** Correlates the client-visible error with the server log line. */
  refId: string;
  /** True for failures of ours (logged at error level); false for the caller's mistakes. */
  internal: boolean;
}

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'bad_request',
  429: 'rate_limited',
  501: 'not_implemented',
};

/** The error code for an HTTP status set by a library rather than thrown. */
export function codeForStatus(status: number): ErrorCode {
  return STATUS_CODES[status] ?? (status >= 500 ? 'internal' : 'bad_request');
}

/**
 * Koa and its middleware throw http-errors objects: `{ status, expose, message }`. Only the statuses we
 * know are taken over (501 is not `expose`d by http-errors but is the caller's doing: an unknown method).
 */
function isKnownHttpError(err: unknown): err is { status: number; message: string } {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { status?: unknown; expose?: unknown; message?: unknown };
  return (
    typeof e.status === 'number' &&
    STATUS_CODES[e.status] !== undefined &&
    (e.expose === true || e.status === 501) &&
    typeof e.message === 'string'
  );
}

/** Turns any thrown value into a report and logs it once: warnings for callers' mistakes, errors for ours. */
export function reportError(
  err: unknown,
  logger: Logger,
  context: Record<string, unknown> = {},
): ErrorReport {
  const refId = randomUUID();
  let report: ErrorReport;
  if (err instanceof AppError) {
    const internal = err.code === 'internal' || err.code === 'unavailable' || err.code === 'bad_gateway';
    report = { code: err.code, message: err.message, refId, internal };
    if (err.details !== undefined) report.details = err.details;
  } else if (isKnownHttpError(err)) {
    report = {
      code: STATUS_CODES[err.status] ?? 'bad_request',
      message: err.message,
      refId,
      internal: false,
    };
  } else {
    report = { code: 'internal', message: 'Internal server error', refId, internal: true };
  }
  if (report.internal) logger.error({ err, refId, ...context }, 'request failed');
  else logger.debug({ code: report.code, msg: report.message, refId, ...context }, 'request rejected');
  return report;
}
