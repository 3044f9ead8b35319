import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65535);

/** Every environment variable the server reads, with defaults for the embedded (single-machine) mode. */
const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Absent: start FerretDB (SQLite backend) with data under DATA_DIR. */
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// or mongodb+srv:// connection string')
    .optional(),
  DATA_DIR: z.string().min(1).default('./.data'),
  /** Absent: run the embedded Aedes broker (TCP on EMBEDDED_MQTT_PORT, WebSocket on the HTTP port at /mqtt). */
  MQTT_URL: z
    .string()
    .regex(/^(mqtt|mqtts|tcp|ws|wss):\/\/\S+$/, 'must be an mqtt://, mqtts://, ws:// or wss:// URL')
    .optional(),
  MQTT_USERNAME: z.string().optional(),
  MQTT_PASSWORD: z.string().optional(),
  MQTT_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, "_" or "-"')
    .default('kefu'),
  /** Shared-subscription group of the server instances (EMQX, Mosquitto); unused on Aedes. */
  MQTT_SHARED_GROUP: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, "_" or "-"')
    .default('kefu-server'),
  EMBEDDED_MQTT_PORT: port.default(1883),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  mongodbUri: string | undefined;
  dataDir: string;
  mqtt: {
    url: string | undefined;
    username: string | undefined;
    password: string | undefined;
    topicPrefix: string;
    sharedGroup: string;
  };
  embeddedMqttPort: number;
  shutdownTimeoutMs: number;
}

/** Thrown when the environment is invalid; the message names every offending variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses and validates the environment once, at start. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = envSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.map(String).join('.');
        const raw = input[name];
        return `${name}${raw === undefined ? '' : `=${JSON.stringify(raw)}`}: ${issue.message}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    mongodbUri: e.MONGODB_URI,
    dataDir: e.DATA_DIR,
    mqtt: {
      url: e.MQTT_URL,
      username: e.MQTT_USERNAME,
      password: e.MQTT_PASSWORD,
      topicPrefix: e.MQTT_TOPIC_PREFIX,
      sharedGroup: e.MQTT_SHARED_GROUP,
    },
    embeddedMqttPort: e.EMBEDDED_MQTT_PORT,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  };
}
