// The environment variables the server reads (parsed and validated once by loadConfig in config.ts).
import proxyAddr from 'proxy-addr';
import { z } from 'zod';
import { FILE_TYPES, type FileType } from '@kefu/proto';

const port = z.coerce.number().int().min(0).max(65535);
const MB = 1024 * 1024;
const uploadBytes = z.coerce
  .number()
  .int()
  .min(1024)
  .max(200 * MB);

/** Every file type the `file` upload kind can accept (by magic bytes; txt/csv by content). */
export const UPLOAD_FILE_TYPE_CHOICES = FILE_TYPES;
export type UploadFileType = FileType;

/** An http(s) URL template with the given `{placeholders}` (filled URL-encoded per request). */
function mallUrlTemplate(placeholders: readonly string[]) {
  return z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL')
    .refine((s) => placeholders.every((p) => s.includes(p)), `must contain ${placeholders.join(' and ')}`);
}

/**
 * Comma-separated addresses whose forwarded headers are believed: IPs, CIDR ranges, or proxy-addr's
 * names `loopback`, `linklocal`, `uniquelocal`. Each entry is compiled here so a typo stops the start.
 */
const trustedProxies = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== ''),
  )
  .superRefine((entries, ctx) => {
    for (const entry of entries) {
      try {
        proxyAddr.compile(entry);
      } catch {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not an IP address, a CIDR range, loopback, linklocal or uniquelocal`,
        });
      }
    }
  });

/** Every environment variable the server reads, with defaults for the embedded (single-machine) mode. */
export const envSchema = z.object({
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
  /**
   * EMQX's management API (e.g. `http://emqx:18083`) and an API key: the connections of an ended session
   * (logout, disabled account, role change) are closed through it. Unset: they end when their token expires.
   */
  EMQX_API_URL: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL')
    .optional(),
  EMQX_API_KEY: z.string().min(1).optional(),
  EMQX_API_SECRET: z.string().min(1).optional(),
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
  /** Where clients connect (told at session creation); absent: derived from the embedded broker. */
  PUBLIC_MQTT_URL: z
    .string()
    .regex(/^wss?:\/\/\S+$/, 'must be a ws:// or wss:// URL')
    .optional(),
  /** `auto`: shared subscription unless the broker is the embedded Aedes (which has none). */
  MQTT_SHARED_SUBSCRIPTION: z.enum(['auto', 'true', 'false']).default('auto'),
  /** HS256 key for the JWTs that are also the MQTT passwords; same value in EMQX's JWT authenticator. */
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Shared with the mall backend, which signs customer identities with it (HMAC-SHA256). */
  IDENTITY_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  IDENTITY_MAX_AGE_S: z.coerce.number().int().min(10).max(86_400).default(300),
  ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(30).max(86_400).default(1_800),
  REFRESH_TOKEN_TTL_S: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * 86_400)
    .default(30 * 86_400),
  /** New anonymous visitor sessions allowed per client IP per hour (abuse limit). */
  VISITOR_SESSIONS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).max(100_000).default(20),
  /** Session-creation requests of any kind per client IP per minute (per server instance). */
  SESSION_REQUESTS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Seeded on first start when no agent exists. */
  ADMIN_USERNAME: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,64}$/, 'must be 3-64 letters, digits, ".", "_" or "-"')
    .default('admin'),
  ADMIN_PASSWORD: z.string().min(8, 'must be at least 8 characters').optional(),
  /** Messages may be recalled by their sender within this many seconds. */
  RECALL_WINDOW_S: z.coerce.number().int().min(0).max(86_400).default(120),
  ROUTING_SCAN_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** The mall's API (server/README.md, Mall adapter); all three URLs or none (none: the demo mall). */
  MALL_PRODUCT_URL: mallUrlTemplate(['{id}']).optional(),
  MALL_ORDERS_URL: mallUrlTemplate(['{user_id}']).optional(),
  MALL_ORDER_URL: mallUrlTemplate(['{user_id}', '{order_no}']).optional(),
  /** Sent to the mall as `Authorization: Bearer <token>`. */
  MALL_API_TOKEN: z.string().min(1).optional(),
  MALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
  /**
   * Deep links agents open from the customer panel (the mall's own pages, not its API); unset: the `url`
   * the mall gives each product/order.
   */
  MALL_PRODUCT_PAGE_URL: mallUrlTemplate(['{id}']).optional(),
  MALL_ORDER_PAGE_URL: mallUrlTemplate(['{order_no}']).optional(),
  /** Leave-a-message (留言) submissions allowed per customer per rolling hour. */
  LEAVE_MESSAGES_PER_HOUR: z.coerce.number().int().min(1).max(1_000).default(5),
  /** Where the widget bundles are (default: sdk-web/dist/bundle of this checkout). */
  WIDGET_DIR: z.string().min(1).optional(),
  /** Where the agent console's build is (default: demo/console/dist/bundle of this checkout). */
  CONSOLE_DIR: z.string().min(1).optional(),
  /**
   * Origins (comma-separated, e.g. `https://mall.example.com,https://m.example.com`) whose pages may call
   * the HTTP API: the widget runs on the mall's origin. `*` allows any; the API uses bearer tokens, never
   * cookies, so `*` exposes nothing a token holder could not fetch anyway.
   */
  CORS_ORIGINS: z
    .string()
    .regex(
      /^(\*|https?:\/\/[^\s,]+(,https?:\/\/[^\s,]+)*)$/,
      'must be * or a comma-separated list of origins',
    )
    .default('*'),
  /** Where uploaded media live. `auto`: GridFS when MONGODB_URI is given, disk with the embedded FerretDB. */
  UPLOAD_STORE: z.enum(['auto', 'gridfs', 'disk']).default('auto'),
  /** Disk store directory; default `<DATA_DIR>/uploads`. */
  UPLOAD_DIR: z.string().min(1).optional(),
  UPLOAD_MAX_IMAGE_BYTES: uploadBytes.default(10 * MB),
  UPLOAD_MAX_VOICE_BYTES: uploadBytes.default(5 * MB),
  UPLOAD_MAX_FILE_BYTES: uploadBytes.default(20 * MB),
  /** An upload whose body sends nothing for this long is answered 408 (slow-body abuse). */
  UPLOAD_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /** Longest voice clip accepted, measured by decoding it (server/README.md, Voice clips). */
  UPLOAD_VOICE_MAX_SECONDS: z.coerce.number().int().min(1).max(600).default(60),
  /** Debian's ffmpeg/ffprobe (package `ffmpeg`) on PATH, or absolute paths. Missing: voice clips refused. */
  FFMPEG_PATH: z.string().min(1).default('ffmpeg'),
  FFPROBE_PATH: z.string().min(1).default('ffprobe'),
  /** Longest side of a stored image; larger ones are scaled down. */
  UPLOAD_IMAGE_MAX_DIMENSION: z.coerce.number().int().min(320).max(16_384).default(4_096),
  /** File-kind types accepted (comma-separated, from UPLOAD_FILE_TYPE_CHOICES); default all. */
  UPLOAD_FILE_TYPES: z
    .string()
    .transform((s) => s.split(',').map((t) => t.trim().toLowerCase()))
    .pipe(z.array(z.enum(UPLOAD_FILE_TYPE_CHOICES)).min(1))
    .optional(),
  /** HMAC key of signed download URLs (≥32 chars); default: derived from JWT_SECRET. */
  UPLOAD_URL_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  UPLOAD_SIGNED_URL_TTL_S: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(86_400),
  /** OpenID Connect single sign-on for agents (server/README.md, SSO); unset: SSO off. */
  OIDC_ISSUER: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL')
    .optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  /** Absent: a public client (PKCE only, `token_endpoint_auth_method=none`). */
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** Absent: `<request origin>/api/v1/agent/sso/callback` (behind a proxy: X-Forwarded-Proto/Host). */
  OIDC_REDIRECT_URI: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL')
    .optional(),
  OIDC_SCOPES: z
    .string()
    .regex(/^[\x21-\x7e]+( [\x21-\x7e]+)*$/, 'must be space-separated scope names')
    .refine((s) => s.split(' ').includes('openid'), 'must include openid')
    .default('openid email profile'),
  /** Label of the sign-in button. */
  OIDC_NAME: z.string().min(1).max(40).default('SSO'),
  OIDC_AUTO_PROVISION: z.enum(['true', 'false']).default('false'),
  /** Proxies whose X-Forwarded-For/-Host/-Proto are trusted (server/README.md, Proxies); unset: none. */
  TRUSTED_PROXIES: trustedProxies.optional(),
  /** Count database commands and their bytes on /metrics (kefu_db_*; bench:messaging reads them). */
  DB_COMMAND_METRICS: z.enum(['true', 'false']).default('false'),
  /** Bearer token Prometheus sends to /metrics; without it /metrics is hidden in production. */
  METRICS_TOKEN: z
    .string()
    .min(16, 'must be at least 16 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
});
