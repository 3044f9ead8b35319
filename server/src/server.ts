import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Connection } from 'mongoose';
import type { MqttClient } from 'mqtt';
import { createTopics } from '@kefu/proto';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import { createAdminParts } from './admin-wiring.js';
import { createCore } from './core.js';
import { createRouters } from './http-wiring.js';
import { createMetrics } from './metrics.js';
import { createWorkbenchParts } from './workbench-wiring.js';
import { connectBrokerClient } from './infra/broker-client.js';
import { connectDatabase, pingDatabase } from './infra/database.js';
import { watchDatabaseCommands } from './infra/db-command-metrics.js';
import { emqxDisconnect } from './infra/emqx-admin.js';
import { startEmbeddedBroker, type EmbeddedBroker } from './infra/embedded-broker.js';
import { startEmbeddedDatabase } from './infra/embedded-database.js';
import { closeHttp, hostForUrl, listen, trackInFlight } from './infra/http-server.js';
import { createRegionLookup } from './infra/regions.js';
import { createMall } from './integration/mall/index.js';
import { createHttpApp, type RouteInfo } from './port/http/app.js';
import type { Readiness } from './port/http/health-routes.js';
import { createBrokerPolicy } from './port/mqtt/broker-policy.js';
import { createMqttPublisher, startBridge } from './port/mqtt/bridge.js';
import { AgentRepository } from './repository/agent-repository.js';
import { CustomerRepository } from './repository/customer-repository.js';
import { LoginFailureRepository } from './repository/login-failure-repository.js';
import { SeatRepository } from './repository/seat-repository.js';
import { SessionRepository } from './repository/session-repository.js';
import { AccessNotifier } from './service/auth/access-notifier.js';
import { AuthService, type SessionDisconnect } from './service/auth/auth-service.js';
import { LoginThrottle } from './service/auth/login-throttle.js';
import { SessionGuard } from './service/auth/session-guard.js';
import { TokenService } from './service/auth/tokens.js';
import { VoiceProcessor } from './service/uploads/voice-processing.js';

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

/**
 * Composition root: database, broker connection, the core services (core.ts, built once), then HTTP; stops
 * in reverse. The HTTP server exists first without a handler — the embedded broker takes its WebSocket
 * upgrades — and answers requests only once every service behind them is built.
 */
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
    let mongodbUri = config.mongodbUri;
    if (mongodbUri === undefined) {
      const embeddedDb = await startEmbeddedDatabase(config.dataDir, logger);
      cleanups.push(() => embeddedDb.stop());
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
    const mall = createMall(config.mall);
    const admin = createAdminParts(db, config, logger);
    const workbench = createWorkbenchParts(db, {
      agents,
      roles: admin.roles,
      mall,
      mallLinks: config.mallLinks,
    });
    const sessions = new SessionRepository(db);
    // Access tokens are checked against live sessions and agents' current permissions (HTTP and MQTT).
    const guard = new SessionGuard({ sessions, agentPermissions: workbench.permissions });
    tokens.useGuard(guard);

    const http = createServer();
    const inFlight = trackInFlight(http);
    // Long enough for any proxy's idle timeout in front of us; shorter than its default would cause 502s.
    http.keepAliveTimeout = 65_000;
    const embeddedBrokerMode = config.mqtt.url === undefined;
    // In embedded mode the server's own broker account gets a fresh random password at every start.
    const serverCredentials = embeddedBrokerMode
      ? { username: 'kefu-server', password: randomBytes(24).toString('base64url') }
      : { username: config.mqtt.username, password: config.mqtt.password };
    let broker: EmbeddedBroker | undefined;
    let mqttUrl = config.mqtt.url ?? '';
    let disconnect: SessionDisconnect = () => Promise.resolve();
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
      disconnect = policy.disconnect;
      const started = broker;
      cleanups.push(() => started.close());
      mqttUrl = `mqtt://${hostForUrl(config.host)}:${String(broker.tcpPort)}`;
    } else if (config.mqtt.admin) {
      disconnect = emqxDisconnect(config.mqtt.admin, logger);
    } else {
      logger.info('EMQX_API_URL is unset: the MQTT connections of an ended session close at token expiry');
    }
    const client = await connectBrokerClient({ url: mqttUrl, ...serverCredentials, logger });
    cleanups.push(() => client.endAsync());

    const publisher = workbench.publisher(createMqttPublisher(client, topics));
    const core = createCore(db, logger, publisher, {
      recallWindowS: config.recallWindowS,
      regions: createRegionLookup(),
      routingScanIntervalMs: config.routingScanIntervalMs,
    });
    const access = new AccessNotifier({
      agents: { findAgent: (uid) => agents.findAgent(uid), listAgents: () => agents.listAgents() },
      permissions: workbench.permissions,
      guard,
      disconnect,
      publisher,
      logger,
    });
    const auth = new AuthService({
      customers: new CustomerRepository(db),
      agents,
      sessions,
      guard,
      disconnect,
      tokens,
      roles: admin.roles,
      config: config.auth,
      env: config.env,
      logger,
      blacklist: core.routing,
      loginThrottle: new LoginThrottle(new LoginFailureRepository(db)),
    });
    const voice = new VoiceProcessor(config.uploads.voice, logger);
    // In the background (it never rejects): warns once when ffmpeg is missing; the server runs without voice.
    void voice.check();
    // Every repository has registered its model by now, so every index is created.
    await db.syncIndexes();
    const adoptedSeats = await new SeatRepository(db).adoptLegacyClaims();
    if (adoptedSeats > 0)
      logger.info({ seats: adoptedSeats }, 'reception seats moved to their own collection');
    await auth.seedAdmin();

    const metrics = createMetrics();
    if (config.dbCommandMetrics) watchDatabaseCommands(db, metrics.registry);
    const state = { shuttingDown: false };
    const readiness = async (): Promise<Readiness> => {
      const checks: Readiness['checks'] = {};
      const started = performance.now();
      try {
        await pingDatabase(db);
        checks['database'] = { ok: true, latency_ms: Math.round(performance.now() - started) };
      } catch (err) {
        checks['database'] = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      checks['broker'] = client.connected ? { ok: true } : { ok: false, error: 'not connected' };
      if (state.shuttingDown) checks['server'] = { ok: false, error: 'shutting down' };
      return { ready: Object.values(checks).every((c) => c.ok), checks };
    };
    const mqttUrlFor = (ctx: Context): string =>
      config.publicMqttUrl ??
      (embeddedBrokerMode
        ? `${ctx.protocol === 'https' ? 'wss' : 'ws'}://${ctx.host}${MQTT_WS_PATH}`
        : (config.mqtt.url ?? ''));
    const app = createHttpApp({
      logger,
      metrics,
      readiness,
      routers: createRouters({
        db,
        config,
        logger,
        core,
        agents,
        mall,
        auth,
        tokens,
        topics,
        access,
        voice,
        admin,
        workbench,
        mqttUrlFor,
      }),
      corsOrigins: config.corsOrigins,
      middleware: options.middleware ?? [],
      trustedProxies: config.trustedProxies,
      metricsToken: config.metricsToken,
      production: config.env === 'production',
    });
    const handle = app.callback();
    http.on('request', (req, res) => {
      void handle(req, res);
    });

    // Cleanups run in reverse: consumers (added later) stop first, then HTTP finishes in-flight requests
    // while the broker connection is still up, then what was written in the background is stored (a
    // transfer and its sweep add both), then connections close.
    const port = await listen(http, config.port, config.host);
    cleanups.push(() => core.settled());
    cleanups.push(() => closeHttp(http, inFlight, config.shutdownTimeoutMs));
    const url = `http://${hostForUrl(config.host)}:${String(port)}`;

    core.timeouts.start();
    cleanups.push(() => core.timeouts.stop());
    const shared =
      config.sharedSubscription === 'auto' ? !embeddedBrokerMode : config.sharedSubscription === 'true';
    const bridge = await startBridge({
      client,
      topics,
      sharedGroup: shared ? config.mqtt.sharedGroup : undefined,
      messages: core.messaging,
      sync: core.sync,
      receipts: core.receipts,
      conversations: core.service,
      presence: core.presence,
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
