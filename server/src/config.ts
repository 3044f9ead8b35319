import { createHmac } from 'node:crypto';
import { envSchema, UPLOAD_FILE_TYPE_CHOICES, type UploadFileType } from './config-schema.js';

export { UPLOAD_FILE_TYPE_CHOICES, type UploadFileType } from './config-schema.js';

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  mongodbUri: string | undefined;
  dataDir: string;
  mqtt: {
    /** EMQX's management API, to close ended sessions' connections; undefined: not configured. */
    admin: { url: string; apiKey: string; apiSecret: string } | undefined;
    url: string | undefined;
    username: string | undefined;
    password: string | undefined;
    topicPrefix: string;
    sharedGroup: string;
  };
  embeddedMqttPort: number;
  publicMqttUrl: string | undefined;
  sharedSubscription: 'auto' | 'true' | 'false';
  shutdownTimeoutMs: number;
  auth: {
    jwtSecret: string;
    identitySecret: string;
    identityMaxAgeS: number;
    accessTokenTtlS: number;
    refreshTokenTtlS: number;
    visitorSessionsPerIpPerHour: number;
    sessionRequestsPerIpPerMinute: number;
    adminUsername: string;
    adminPassword: string | undefined;
  };
  recallWindowS: number;
  /** How often the routing timeouts (queue, agent no-answer, customer silence) are checked. */
  routingScanIntervalMs: number;
  /** Page URL templates for the customer panel's deep links (`{id}`; `{order_no}`, `{user_id}`). */
  mallLinks: { productPage: string | undefined; orderPage: string | undefined };
  /** The mall's API; undefined: the in-memory demo mall. */
  mall:
    | {
        productUrl: string;
        ordersUrl: string;
        orderUrl: string;
        apiToken: string | undefined;
        timeoutMs: number;
      }
    | undefined;
  leaveMessagesPerHour: number;
  /** `*` or the allowed origins. */
  corsOrigins: '*' | readonly string[];
  widgetDir: string | undefined;
  consoleDir: string | undefined;
  /** Agents' OIDC single sign-on; undefined when OIDC_ISSUER is unset. */
  oidc: OidcConfig | undefined;
  /** Proxy addresses (proxy-addr notation) whose X-Forwarded-* headers are believed; empty: none. */
  trustedProxies: readonly string[];
  /** Bearer token required at /metrics; undefined: open, or hidden (404) in production. */
  metricsToken: string | undefined;
  /** Database commands counted on /metrics (DB_COMMAND_METRICS). */
  dbCommandMetrics: boolean;
  uploads: {
    store: 'gridfs' | 'disk';
    dir: string;
    maxBytes: { image: number; voice: number; file: number };
    idleTimeoutMs: number;
    imageMaxDimension: number;
    fileTypes: readonly UploadFileType[];
    voice: { maxSeconds: number; ffmpegPath: string; ffprobePath: string };
    urlSecret: string;
    signedUrlTtlS: number;
  };
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  scopes: string;
  name: string;
  autoProvision: boolean;
}

/** Development-only defaults, refused in production (see loadConfig). */
export const DEV_JWT_SECRET = 'kefu-dev-jwt-secret-not-for-production-use!';
export const DEV_IDENTITY_SECRET = 'kefu-dev-identity-secret';

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
  if (e.NODE_ENV === 'production') {
    const missing = (['JWT_SECRET', 'IDENTITY_SECRET', 'MONGODB_URI'] as const).filter(
      (k) => e[k] === undefined,
    );
    if (missing.length) throw new ConfigError(missing.map((k) => `${k}: required when NODE_ENV=production`));
  }
  if (e.OIDC_ISSUER !== undefined && e.OIDC_CLIENT_ID === undefined) {
    throw new ConfigError(['OIDC_CLIENT_ID: required when OIDC_ISSUER is set']);
  }
  if (e.NODE_ENV === 'production' && e.OIDC_ISSUER?.startsWith('http://')) {
    // Plain HTTP lets anyone on the path forge the provider's answers; only for local development.
    throw new ConfigError(['OIDC_ISSUER: must be https:// when NODE_ENV=production']);
  }
  const emqxKeys = ['EMQX_API_URL', 'EMQX_API_KEY', 'EMQX_API_SECRET'] as const;
  if (emqxKeys.some((k) => e[k] !== undefined)) {
    const missing = emqxKeys.filter((k) => e[k] === undefined);
    if (missing.length)
      throw new ConfigError(missing.map((k) => `${k}: required when any EMQX_API_* is set`));
  }
  const mallKeys = ['MALL_PRODUCT_URL', 'MALL_ORDERS_URL', 'MALL_ORDER_URL'] as const;
  if (mallKeys.some((k) => e[k] !== undefined) || e.MALL_API_TOKEN !== undefined) {
    const missing = mallKeys.filter((k) => e[k] === undefined);
    if (missing.length) throw new ConfigError(missing.map((k) => `${k}: required when any MALL_* is set`));
  }
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    mongodbUri: e.MONGODB_URI,
    dataDir: e.DATA_DIR,
    mqtt: {
      admin:
        e.EMQX_API_URL && e.EMQX_API_KEY && e.EMQX_API_SECRET
          ? { url: e.EMQX_API_URL, apiKey: e.EMQX_API_KEY, apiSecret: e.EMQX_API_SECRET }
          : undefined,
      url: e.MQTT_URL,
      username: e.MQTT_USERNAME,
      password: e.MQTT_PASSWORD,
      topicPrefix: e.MQTT_TOPIC_PREFIX,
      sharedGroup: e.MQTT_SHARED_GROUP,
    },
    embeddedMqttPort: e.EMBEDDED_MQTT_PORT,
    publicMqttUrl: e.PUBLIC_MQTT_URL,
    sharedSubscription: e.MQTT_SHARED_SUBSCRIPTION,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    auth: {
      jwtSecret: e.JWT_SECRET ?? DEV_JWT_SECRET,
      identitySecret: e.IDENTITY_SECRET ?? DEV_IDENTITY_SECRET,
      identityMaxAgeS: e.IDENTITY_MAX_AGE_S,
      accessTokenTtlS: e.ACCESS_TOKEN_TTL_S,
      refreshTokenTtlS: e.REFRESH_TOKEN_TTL_S,
      visitorSessionsPerIpPerHour: e.VISITOR_SESSIONS_PER_IP_PER_HOUR,
      sessionRequestsPerIpPerMinute: e.SESSION_REQUESTS_PER_IP_PER_MINUTE,
      adminUsername: e.ADMIN_USERNAME,
      adminPassword: e.ADMIN_PASSWORD,
    },
    recallWindowS: e.RECALL_WINDOW_S,
    routingScanIntervalMs: e.ROUTING_SCAN_INTERVAL_MS,
    mallLinks: { productPage: e.MALL_PRODUCT_PAGE_URL, orderPage: e.MALL_ORDER_PAGE_URL },
    mall:
      e.MALL_PRODUCT_URL && e.MALL_ORDERS_URL && e.MALL_ORDER_URL
        ? {
            productUrl: e.MALL_PRODUCT_URL,
            ordersUrl: e.MALL_ORDERS_URL,
            orderUrl: e.MALL_ORDER_URL,
            apiToken: e.MALL_API_TOKEN,
            timeoutMs: e.MALL_TIMEOUT_MS,
          }
        : undefined,
    leaveMessagesPerHour: e.LEAVE_MESSAGES_PER_HOUR,
    widgetDir: e.WIDGET_DIR,
    consoleDir: e.CONSOLE_DIR,
    corsOrigins: e.CORS_ORIGINS === '*' ? '*' : e.CORS_ORIGINS.split(',').map((o) => o.replace(/\/$/, '')),
    oidc:
      e.OIDC_ISSUER && e.OIDC_CLIENT_ID
        ? {
            issuer: e.OIDC_ISSUER,
            clientId: e.OIDC_CLIENT_ID,
            clientSecret: e.OIDC_CLIENT_SECRET,
            redirectUri: e.OIDC_REDIRECT_URI,
            scopes: e.OIDC_SCOPES,
            name: e.OIDC_NAME,
            autoProvision: e.OIDC_AUTO_PROVISION === 'true',
          }
        : undefined,
    trustedProxies: e.TRUSTED_PROXIES ?? [],
    metricsToken: e.METRICS_TOKEN,
    dbCommandMetrics: e.DB_COMMAND_METRICS === 'true',
    uploads: {
      // GridFS reads scan on FerretDB 1.24 (seconds per file once a few hundred are stored): the embedded
      // mode keeps blobs on disk; an external MongoDB gets GridFS (server/README.md, Uploads).
      store: e.UPLOAD_STORE === 'auto' ? (e.MONGODB_URI === undefined ? 'disk' : 'gridfs') : e.UPLOAD_STORE,
      dir: e.UPLOAD_DIR ?? `${e.DATA_DIR}/uploads`,
      maxBytes: {
        image: e.UPLOAD_MAX_IMAGE_BYTES,
        voice: e.UPLOAD_MAX_VOICE_BYTES,
        file: e.UPLOAD_MAX_FILE_BYTES,
      },
      idleTimeoutMs: e.UPLOAD_IDLE_TIMEOUT_MS,
      imageMaxDimension: e.UPLOAD_IMAGE_MAX_DIMENSION,
      fileTypes: e.UPLOAD_FILE_TYPES ?? UPLOAD_FILE_TYPE_CHOICES,
      voice: {
        maxSeconds: e.UPLOAD_VOICE_MAX_SECONDS,
        ffmpegPath: e.FFMPEG_PATH,
        ffprobePath: e.FFPROBE_PATH,
      },
      urlSecret:
        e.UPLOAD_URL_SECRET ??
        createHmac('sha256', e.JWT_SECRET ?? DEV_JWT_SECRET)
          .update('kefu upload url signing')
          .digest('base64url'),
      signedUrlTtlS: e.UPLOAD_SIGNED_URL_TTL_S,
    },
  };
}
