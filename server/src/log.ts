import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stdout; secrets in known places are redacted. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kefu-server' },
    redact: ['req.headers.authorization', 'password', '*.password', 'token', '*.token'],
  });
}
