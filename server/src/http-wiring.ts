import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Connection } from 'mongoose';
import type { TopicSet } from '@kefu/proto';
import type { Config } from './config.js';
import type { Core } from './core.js';
import type { Logger } from './log.js';
import type { createAdminParts } from './admin-wiring.js';
import type { createWorkbenchParts } from './workbench-wiring.js';
import { DiskBlobStore } from './infra/blob-store-disk.js';
import { GridFsBlobStore } from './infra/blob-store-gridfs.js';
import type { MallAdapter } from './integration/mall/types.js';
import { ScopeResolver } from './port/access/scope-resolver.js';
import { consoleRoutes } from './port/http/console-routes.js';
import { historyRoutes } from './port/http/history-routes.js';
import { leaveMessageRoutes } from './port/http/leave-message-routes.js';
import { mallRoutes } from './port/http/mall-routes.js';
import { ratingRoutes } from './port/http/rating-routes.js';
import { sessionRoutes } from './port/http/session-routes.js';
import { uploadRoutes } from './port/http/upload-routes.js';
import { widgetRoutes } from './port/http/widget-routes.js';
import type { AgentRepository } from './repository/agent-repository.js';
import { AuditLogRepository } from './repository/audit-log-repository.js';
import type { AccessNotifier } from './service/auth/access-notifier.js';
import type { AuthService } from './service/auth/auth-service.js';
import type { TokenService } from './service/auth/tokens.js';
import { LeaveMessageService } from './service/leave-messages/leave-message-service.js';
import { UploadService } from './service/uploads/upload-service.js';
import { UploadUrlSigner } from './service/uploads/url-signer.js';
import type { VoiceProcessor } from './service/uploads/voice-processing.js';

export interface HttpParts {
  db: Connection;
  config: Config;
  logger: Logger;
  core: Core;
  agents: AgentRepository;
  mall: MallAdapter;
  auth: AuthService;
  tokens: TokenService;
  topics: TopicSet;
  access: AccessNotifier;
  voice: VoiceProcessor;
  admin: ReturnType<typeof createAdminParts>;
  workbench: ReturnType<typeof createWorkbenchParts>;
  mqttUrlFor: (ctx: Context) => string;
}

/** Every HTTP router of the server, over the services built in core.ts (the ports of DESIGN.md §5). */
export function createRouters(p: HttpParts): Router[] {
  const { db, config, core, tokens, agents, mall } = p;
  const conversations = core.conversations;
  const scopes = new ScopeResolver({
    findAgent: (uid) => agents.findAgent(uid),
    memberUidsOf: (groupIds) => agents.memberUidsOf(groupIds),
    isServing: (agentUid, customerUid) => conversations.isServing(agentUid, customerUid),
  });
  return [
    sessionRoutes({
      auth: p.auth,
      tokens,
      topics: p.topics,
      requestsPerIpPerMinute: config.auth.sessionRequestsPerIpPerMinute,
      mqttUrlFor: p.mqttUrlFor,
    }),
    ...p.admin.routers({
      agents,
      auth: p.auth,
      tokens,
      session: { topics: p.topics, mqttUrlFor: p.mqttUrlFor },
      allocator: core.allocator,
      routing: core.routing,
      access: p.access,
      capacityChanged: () => {
        core.allocator.capacityChanged();
        core.sweeper.soon();
      },
    }),
    historyRoutes({ tokens, scopes, conversations, history: core.messages }),
    ...p.workbench.routers({ tokens, scopes, core }),
    widgetRoutes(config.widgetDir),
    consoleRoutes(config.consoleDir),
    uploadRoutes({
      tokens,
      scopes,
      conversations,
      uploads: new UploadService({
        uploads: core.uploads,
        blobs:
          config.uploads.store === 'gridfs' ? new GridFsBlobStore(db) : new DiskBlobStore(config.uploads.dir),
        limits: config.uploads,
        voice: p.voice,
        logger: p.logger,
      }),
      signer: new UploadUrlSigner(config.uploads.urlSecret, config.uploads.signedUrlTtlS),
      idleTimeoutMs: config.uploads.idleTimeoutMs,
    }),
    ratingRoutes({
      tokens,
      templates: core.ratingTemplates,
      groupExists: async (id) => (await core.allocator.groupMap()).has(id),
    }),
    mallRoutes({
      tokens,
      mall,
      mayServe: (principal, customerUid) =>
        scopes.customerReach(principal, customerUid, (cond) =>
          conversations.listConversations({ customerUid, scope: cond }, 20),
        ),
    }),
    leaveMessageRoutes({
      tokens,
      leaveMessages: new LeaveMessageService({
        repository: core.leftMessages,
        findConversation: (id) => conversations.findConversation(id),
        perHour: config.leaveMessagesPerHour,
        auditLog: new AuditLogRepository(db),
      }),
    }),
  ];
}
