export { loadConfig, ConfigError, type Config } from './config.js';
export { createLogger, type Logger } from './log.js';
export { startServer, MQTT_WS_PATH, type KefuServer, type StartOptions } from './server.js';
export { runMain } from './run.js';
export { AppError, ValidationError, NotFoundError, UnavailableError, type ErrorCode } from './errors.js';
export {
  signIdentity,
  verifyIdentity,
  canonicalIdentity,
  type CustomerIdentity,
} from './service/auth/identity.js';
export { hashPassword, verifyPassword } from './service/auth/password.js';
export { createCore, type Core, type CoreOptions } from './core.js';
