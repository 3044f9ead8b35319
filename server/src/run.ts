import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { installProcessGuard } from './process-guard.js';
import { startServer, type StartOptions } from './server.js';

/**
 * Process entry: validate the environment (exit 1 naming the bad variable), start, print where to connect,
 * and stop gracefully on SIGTERM/SIGINT (exit 0), or exit 1 if stopping takes longer than allowed.
 */
export async function runMain(options: StartOptions = {}): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`kefu-server: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  // A stray error from one request or message is logged and counted; the others keep being served.
  installProcessGuard(logger);

  let server;
  try {
    server = await startServer(config, logger, options);
  } catch (err) {
    logger.fatal({ err }, 'could not start');
    process.exit(1);
  }
  const running = server;
  process.stdout.write(
    [
      '',
      'Kefu is running:',
      `  HTTP            ${running.url}`,
      `  Readiness       ${running.url}/readyz`,
      `  MQTT WebSocket  ${running.mqttWsUrl}`,
      `  MQTT (server)   ${running.mqttUrl}`,
      `  MongoDB         ${running.mongodbUri}${config.mongodbUri ? '' : ' (embedded FerretDB)'}`,
      '',
    ].join('\n') + '\n',
  );

  const shutdown = (signal: string): void => {
    logger.info({ signal }, 'signal received');
    const force = setTimeout(() => {
      logger.error('graceful shutdown timed out');
      process.exit(1);
    }, config.shutdownTimeoutMs + 5_000);
    force.unref();
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
