import type { Logger } from './log.js';

let caught = 0;

/** How many uncaught exceptions and unhandled rejections the guard has absorbed in this process. */
export function processGuardCount(): number {
  return caught;
}

/**
 * Keeps the process serving when a stray error escapes a handler: one bad request or message (e.g. a
 * stream error nobody listened to) must not take every other client down with it. Each one is logged
 * at error level with the error and counted. Returns the function that removes the guard again.
 */
export function installProcessGuard(logger: Logger): () => void {
  const onException = (err: Error, origin: string): void => {
    caught += 1;
    logger.error({ err, origin, caught }, 'uncaught exception; still serving');
  };
  const onRejection = (reason: unknown): void => {
    caught += 1;
    logger.error({ err: reason, caught }, 'unhandled promise rejection; still serving');
  };
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
