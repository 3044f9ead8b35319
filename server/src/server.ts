import {
  createServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context, Middleware } from 'koa';
import type { Connection } from 'mongoose';
import type { MqttClient } from 'mqtt';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createMetrics } from './metrics.js';
import { connectDatabase, pingDatabase } from './infra/database.js';
import { watchDatabaseCommands } from './infra/db-command-metrics.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './infra/embedded-database.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './infra/embedded-broker.js';
import { connectBrokerClient } from './infra/broker-client.js';
import { randomBytes } from 'node:crypto';
import { createTopics } from '@kefu/proto';
import { createHttpApp, type RouteInfo } from './port/http/app.js';
import { sessionRoutes } from './port/http/session-routes.js';
import { historyRoutes } from './port/http/history-routes.js';
import { consoleRoutes } from './port/http/console-routes.js';
import { widgetRoutes } from './port/http/widget-routes.js';
import { uploadRoutes } from './port/http/upload-routes.js';
import { UploadRepository } from './repository/upload-repository.js';
import { UploadService } from './service/uploads/upload-service.js';
import { UploadUrlSigner } from './service/uploads/url-signer.js';
import { VoiceProcessor } from './service/uploads/voice-processing.js';
import { DiskBlobStore } from './infra/blob-store-disk.js';
import { GridFsBlobStore } from './infra/blob-store-gridfs.js';
import { mallRoutes } from './port/http/mall-routes.js';
import { ratingRoutes } from './port/http/rating-routes.js';
import { RatingTemplateService } from './service/ratings/rating-template-service.js';
import { SettingRepository } from './repository/setting-repository.js';
import { leaveMessageRoutes } from './port/http/leave-message-routes.js';
import { createMall } from './integration/mall/index.js';
import { LeaveMessageRepository } from './repository/leave-message-repository.js';
import { LeaveMessageService } from './service/leave-messages/leave-message-service.js';
import { AuditLogRepository } from './repository/audit-log-repository.js';
import { createBrokerPolicy } from './port/mqtt/broker-policy.js';
import { AgentRepository } from './repository/agent-repository.js';
import { SeatRepository } from './repository/seat-repository.js';
import { CustomerRepository } from './repository/customer-repository.js';
import { SessionRepository } from './repository/session-repository.js';
import { LoginFailureRepository } from './repository/login-failure-repository.js';
import { AuthService, type SessionDisconnect } from './service/auth/auth-service.js';
import { SessionGuard } from './service/auth/session-guard.js';
import { AccessNotifier } from './service/auth/access-notifier.js';
import type { Publisher } from './service/messaging/publisher.js';
import { emqxDisconnect } from './infra/emqx-admin.js';
import { LoginThrottle } from './service/auth/login-throttle.js';
import { startBridge } from './port/mqtt/bridge.js';
import { ConversationRepository } from './repository/conversation-repository.js';
import { RatingRepository } from './repository/rating-repository.js';
import { MessageRepository, PresenceRepository } from './repository/message-repository.js';
import { ConversationService } from './service/messaging/conversation-service.js';
import { MessageService } from './service/messaging/message-service.js';
import { DocumentMessageStore } from './repository/message-store/document-message-store.js';
import { createAllocator } from './routing-wiring.js';
import { RoutingRepository } from './repository/routing-repository.js';
import { RoutingTimeouts } from './service/routing/timeouts.js';
import { createRegionLookup } from './infra/regions.js';
import { createMqttPublisher } from './port/mqtt/bridge.js';
import { TokenService } from './service/auth/tokens.js';
import { createAdminParts } from './admin-wiring.js';
import { createWorkbenchParts } from './workbench-wiring.js';
import type { Readiness } from './port/http/health-routes.js';
import { ScopeResolver } from './port/access/scope-resolver.js';

export const MQTT_WS_PATH = '/mqtt';

export interface KefuServer {
  /** http://host:port */
  readonly url: string;
  /** Where clients connect over MQTT/WebSocket. */
  readonly mqttWsUrl: string;
  /** The broker the server itself uses. */
  readonly mqttUrl: string;
  readonly mongodbUri: string;
  readonly db: Connection;
  readonly mqtt: MqttClient;
  readonly auth: AuthService;
  readonly tokens: TokenService;
  readonly config: Config;
  /** Every HTTP route the server answers. */
  readonly routes: readonly RouteInfo[];
  /** Graceful stop: stop consuming, finish in-flight requests, close connections. Idempotent. */
  stop(): Promise<void>;
}

export interface StartOptions {
  middleware?: readonly Middleware[];
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function listen(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Counts requests whose response has not finished. The HTTP server's own `close` callback cannot be
 * awaited for this: it also waits for WebSocket connections upgraded to the embedded broker.
 */
function trackInFlight(server: HttpServer): () => number {
  let inFlight = 0;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
    });
  });
  return () => inFlight;
}

/** Stops accepting connections, waits for in-flight requests (up to `timeoutMs`), then drops the rest. */
async function closeHttp(server: HttpServer, inFlight: () => number, timeoutMs: number): Promise<void> {
  server.close();
  const deadline = Date.now() + timeoutMs;
  while (inFlight() > 0 && Date.now() < deadline) {
    // Keep-alive sockets become idle once their response is sent; close them as they do.
    server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  server.closeAllConnections();
}

/** Composition root: starts database, broker and HTTP in order, and stops them in reverse. */
export async function startServer(
  config: Config,
  logger: Logger,
  options: StartOptions = {},
): Promise<KefuServer> {
  const cleanups: (() => Promise<void>)[] = [];
  const runCleanups = async (): Promise<void> => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (err) {
        logger.error({ err }, 'error during shutdown');
      }
    }
    cleanups.length = 0;
  };

  try {
    let embeddedDb: EmbeddedDatabase | undefined;
    let mongodbUri = config.mongodbUri;
    if (mongodbUri === undefined) {
      embeddedDb = await startEmbeddedDatabase(config.dataDir, logger);
      cleanups.push(() => embeddedDb?.stop() ?? Promise.resolve());
      mongodbUri = embeddedDb.uri;
    }
    const db = await connectDatabase(mongodbUri, { monitorCommands: config.dbCommandMetrics });
    cleanups.push(() => db.close());

    const topics = createTopics(config.mqtt.topicPrefix);
    const tokens = new TokenService(
      config.auth.jwtSecret,
      topics,
      config.auth.accessTokenTtlS,
      config.auth.refreshTokenTtlS,
    );
    const agents = new AgentRepository(db);
    const conversationRepo = new ConversationRepository(db);
    const messageRepo = new MessageRepository(db);
    const messageStore = new DocumentMessageStore(messageRepo);
    const presenceRepo = new PresenceRepository(db);
    const allocator = createAllocator(db, logger, {
      conversations: conversationRepo,
      agents,
      presence: presenceRepo,
    });
    const routingRepo = new RoutingRepository(db);
    const ratingRepo = new RatingRepository(db);
    const ratingTemplates = new RatingTemplateService(new SettingRepository(db), new AuditLogRepository(db));
    // Repositories register their models before syncIndexes below, so their indexes are created.
    const leaveMessageRepo = new LeaveMessageRepository(db);
    const uploadRepo = new UploadRepository(db);
    const voice = new VoiceProcessor(config.uploads.voice, logger);
    // In the background (it never rejects): warns once when ffmpeg is missing; the server runs without voice.
    void voice.check();
    const adminParts = createAdminParts(db, config, logger);
    const workbenchParts = createWorkbenchParts(db, {
      agents,
      roles: adminParts.roles,
      mall: createMall(config.mall),
      mallLinks: config.mallLinks,
    });
    const sessions = new SessionRepository(db);
    // Access tokens are checked against live sessions and agents' current permissions (HTTP and MQTT).
    const guard = new SessionGuard({ sessions, agentPermissions: workbenchParts.permissions });
    tokens.useGuard(guard);
    // Closing an ended session's MQTT connections needs the broker, known further down.
    const mqttSessions: { disconnect?: SessionDisconnect } = {};
    const disconnect: SessionDisconnect = (target) => mqttSessions.disconnect?.(target) ?? Promise.resolve();
    // Parts built after the broker connection, reached from callbacks created before it.
    const late: { conversations?: ConversationService; publisher?: Publisher } = {};
    const access = new AccessNotifier({
      agents: { findAgent: (uid) => agents.findAgent(uid), listAgents: () => agents.listAgents() },
      permissions: workbenchParts.permissions,
      guard,
      disconnect,
      publisher: () => late.publisher,
      logger,
    });
    const auth = new AuthService({
      customers: new CustomerRepository(db),
      agents,
      sessions,
      guard,
      disconnect,
      tokens,
      roles: adminParts.roles,
      config: config.auth,
      env: config.env,
      logger,
      blacklist: routingRepo,
      loginThrottle: new LoginThrottle(new LoginFailureRepository(db)),
    });
    await db.syncIndexes();
    const adoptedSeats = await new SeatRepository(db).adoptLegacyClaims();
    if (adoptedSeats > 0)
      logger.info({ seats: adoptedSeats }, 'reception seats moved to their own collection');
    await auth.seedAdmin();
    const embeddedBrokerMode = config.mqtt.url === undefined;
    // In embedded mode the server's own broker account gets a fresh random password at every start.
    const serverCredentials = embeddedBrokerMode
      ? { username: 'kefu-server', password: randomBytes(24).toString('base64url') }
      : { username: config.mqtt.username, password: config.mqtt.password };

    // Read by the readiness check; filled in as the parts come up and go down.
    const state: { shuttingDown: boolean; mqtt?: MqttClient } = { shuttingDown: false };
    const metrics = createMetrics();
    if (config.dbCommandMetrics) watchDatabaseCommands(db, metrics.registry);
    const readiness = async (): Promise<Readiness> => {
      const checks: Readiness['checks'] = {};
      const started = performance.now();
      try {
        await pingDatabase(db);
        checks['database'] = { ok: true, latency_ms: Math.round(performance.now() - started) };
      } catch (err) {
        checks['database'] = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      checks['broker'] = state.mqtt?.connected ? { ok: true } : { ok: false, error: 'not connected' };
      if (state.shuttingDown) checks['server'] = { ok: false, error: 'shutting down' };
      return { ready: Object.values(checks).every((c) => c.ok), checks };
    };

    const scopes = new ScopeResolver({
      findAgent: (uid) => agents.findAgent(uid),
      memberUidsOf: (groupIds) => agents.memberUidsOf(groupIds),
      isServing: (agentUid, customerUid) => conversationRepo.isServing(agentUid, customerUid),
    });
    const mqttUrlFor = (ctx: Context): string =>
      config.publicMqttUrl ??
      (embeddedBrokerMode
        ? `${ctx.protocol === 'https' ? 'wss' : 'ws'}://${ctx.host}${MQTT_WS_PATH}`
        : (config.mqtt.url ?? ''));
    const routers = [
      sessionRoutes({
        auth,
        tokens,
        topics,
        requestsPerIpPerMinute: config.auth.sessionRequestsPerIpPerMinute,
        mqttUrlFor,
      }),
      ...adminParts.routers({
        agents,
        auth,
        tokens,
        session: { topics, mqttUrlFor },
        allocator,
        routing: routingRepo,
        access,
        capacityChanged: () => {
          allocator.capacityChanged();
          late.conversations?.sweepQueue().catch((err: unknown) => {
            logger.warn({ err }, 'queue sweep after a capacity change failed');
          });
        },
      }),
      historyRoutes({ tokens, scopes, conversations: conversationRepo, history: messageStore }),
      ...workbenchParts.routers({
        tokens,
        scopes,
        conversations: conversationRepo,
        presence: presenceRepo,
        allocator,
      }),
      widgetRoutes(config.widgetDir),
      consoleRoutes(config.consoleDir),
      uploadRoutes({
        tokens,
        scopes,
        conversations: conversationRepo,
        uploads: new UploadService({
          uploads: uploadRepo,
          blobs:
            config.uploads.store === 'gridfs'
              ? new GridFsBlobStore(db)
              : new DiskBlobStore(config.uploads.dir),
          limits: config.uploads,
          voice,
          logger,
        }),
        signer: new UploadUrlSigner(config.uploads.urlSecret, config.uploads.signedUrlTtlS),
        idleTimeoutMs: config.uploads.idleTimeoutMs,
      }),
      ratingRoutes({
        tokens,
        templates: ratingTemplates,
        groupExists: async (id) => (await allocator.groupMap()).has(id),
      }),
      mallRoutes({
        tokens,
        mall: createMall(config.mall),
        mayServe: (p, customerUid) =>
          scopes.customerReach(p, customerUid, (cond) =>
            conversationRepo.listConversations({ customerUid, scope: cond }, 20),
          ),
      }),
      leaveMessageRoutes({
        tokens,
        leaveMessages: new LeaveMessageService({
          repository: leaveMessageRepo,
          findConversation: (id) => conversationRepo.findConversation(id),
          perHour: config.leaveMessagesPerHour,
          auditLog: new AuditLogRepository(db),
        }),
      }),
    ];
    const app = createHttpApp({
      logger,
      metrics,
      readiness,
      routers,
      corsOrigins: config.corsOrigins,
      middleware: options.middleware ?? [],
      trustedProxies: config.trustedProxies,
      metricsToken: config.metricsToken,
      production: config.env === 'production',
    });
    const handle = app.callback();
    const http = createServer((req, res) => {
      void handle(req, res);
    });
    const inFlight = trackInFlight(http);
    // Long enough for any proxy's idle timeout in front of us; shorter than its default would cause 502s.
    http.keepAliveTimeout = 65_000;

    let broker: EmbeddedBroker | undefined;
    let mqttUrl = config.mqtt.url ?? '';
    if (embeddedBrokerMode) {
      const policy = createBrokerPolicy({
        tokens,
        server: { username: serverCredentials.username ?? '', password: serverCredentials.password ?? '' },
        logger,
      });
      broker = await startEmbeddedBroker({
        host: config.host,
        tcpPort: config.embeddedMqttPort,
        httpServer: http,
        wsPath: MQTT_WS_PATH,
        logger,
        policy,
      });
      mqttSessions.disconnect = policy.disconnect;
      cleanups.push(() => broker?.close() ?? Promise.resolve());
      mqttUrl = `mqtt://${hostForUrl(config.host)}:${String(broker.tcpPort)}`;
    } else if (config.mqtt.admin) {
      mqttSessions.disconnect = emqxDisconnect(config.mqtt.admin, logger);
    } else {
      logger.info('EMQX_API_URL is unset: the MQTT connections of an ended session close at token expiry');
    }

    const client = await connectBrokerClient({
      url: mqttUrl,
      username: serverCredentials.username,
      password: serverCredentials.password,
      logger,
    });
    state.mqtt = client;
    cleanups.push(() => client.endAsync());

    // Cleanups run in reverse: consumers (added later) stop first, then HTTP finishes in-flight requests
    // while the broker connection is still up, then connections close.
    const port = await listen(http, config.port, config.host);
    // Pending statistics events and assignment bookkeeping are written after HTTP has finished its
    // in-flight requests (a transfer and its sweep add both), while the database is still open.
    cleanups.push(() =>
      Promise.all([allocator.flushAssigned(), late.conversations?.eventsWritten()]).then(() => undefined),
    );
    cleanups.push(() => closeHttp(http, inFlight, config.shutdownTimeoutMs));
    const url = `http://${hostForUrl(config.host)}:${String(port)}`;

    const publisher = workbenchParts.publisher(createMqttPublisher(client, topics));
    late.publisher = publisher;
    const conversations = new ConversationService({
      lastSeq: (id) => messageStore.lastSeq(id),
      allocator,
      conversations: conversationRepo,
      presence: presenceRepo,
      agents,
      publisher,
      logger,
      customers: new CustomerRepository(db),
      routing: routingRepo,
      regions: createRegionLookup(),
      leftMessages: leaveMessageRepo,
      ratings: {
        hasRating: (id) => ratingRepo.hasRating(id),
        templateFor: (groupId) => ratingTemplates.forGroup(groupId),
      },
    });
    late.conversations = conversations;
    const messages = new MessageService({
      messages: messageStore,
      conversations: conversationRepo,
      conversationService: conversations,
      publisher,
      logger,
      recallWindowS: config.recallWindowS,
      ratings: ratingRepo,
      ratingTemplates,
      uploads: uploadRepo,
      activity: workbenchParts.activity,
    });
    workbenchParts.attach({ conversations, publisher });
    conversations.attachNotices((c, notice, options) => messages.notice(c, notice, options));
    const timeouts = new RoutingTimeouts({
      conversations: conversationRepo,
      service: () => conversations,
      config: () => allocator.config(),
      reassign: (id, from, route) => workbenchParts.reassign(id, from, route),
      logger,
      intervalMs: config.routingScanIntervalMs,
    });
    timeouts.start();
    cleanups.push(() => timeouts.stop());
    // Queue sweeps a close started finish before the database goes.
    cleanups.push(() => conversations.sweepsSettled());
    const shared =
      config.sharedSubscription === 'auto' ? !embeddedBrokerMode : config.sharedSubscription === 'true';
    const bridge = await startBridge({
      client,
      topics,
      sharedGroup: shared ? config.mqtt.sharedGroup : undefined,
      messages,
      conversations,
      logger,
      registry: metrics.registry,
    });
    // Runs first at shutdown: stop consuming, finish the envelopes in hand.
    cleanups.push(() => bridge.stop());

    let stopping: Promise<void> | undefined;
    return {
      url,
      mqttWsUrl: config.publicMqttUrl ?? (broker ? `${url.replace(/^http/, 'ws')}${MQTT_WS_PATH}` : mqttUrl),
      mqttUrl,
      mongodbUri,
      db,
      mqtt: client,
      auth,
      tokens,
      config,
      routes: app.routes,
      stop() {
        stopping ??= (async () => {
          state.shuttingDown = true;
          logger.info('shutting down');
          await runCleanups();
          logger.info('stopped');
        })();
        return stopping;
      },
    };
  } catch (err) {
    await runCleanups();
    throw err;
  }
}
