// The routing rules' test setup on the real database (FerretDB), one fresh database per test: groups,
// online agents, customers and the routing settings, then the routing instance. The publisher records
// what would go out over MQTT. Each test file drops the database after each test (dropRulesDatabase).
import mongoose from 'mongoose';
import { kefu } from '@kefu/proto';
import { testMongoUri } from '@kefu/tools/testing';
import { customerModel } from '../../src/model/customer.js';
import { MessageRepository, PresenceRepository } from '../../src/repository/message-repository.js';
import type { RoutingEventType } from '../../src/model/routing.js';
import { GroupRepository, type Group } from '../../src/repository/group-repository.js';
import { RoutingRepository } from '../../src/repository/routing-repository.js';
import type { RoutingConfig } from '../../src/service/routing/settings.js';
import { onlineAgent, routingInstance } from './instance.js';

let db: mongoose.Connection | undefined;

/** Drops and closes the database of the last `setup` (for afterEach). */
export async function dropRulesDatabase(): Promise<void> {
  await db?.dropDatabase().catch(() => undefined);
  await db?.close();
  db = undefined;
}

interface Setup {
  agents?: { uid: string; limit: number; groups?: string[]; offline?: boolean }[];
  groups?: (Omit<Group, 'createdAt' | 'description'> & { description?: string })[];
  customers?: { uid: string; vip?: boolean; level?: number; tags?: string[]; lastIp?: string }[];
  config?: Partial<RoutingConfig>;
  regions?: (ip: string) => string[];
}

export async function setup(label: string, s: Setup) {
  db = await mongoose.createConnection(testMongoUri(label)).asPromise();
  await db.syncIndexes();
  const groups = new GroupRepository(db);
  for (const g of s.groups ?? []) {
    await groups.createGroup({ id: g.id, name: g.name, description: '', createdAt: new Date() });
    await groups.saveGroup(g.id, { mode: g.mode, businessHours: g.businessHours, overflow: g.overflow });
  }
  for (const [i, a] of (s.agents ?? []).entries()) {
    await onlineAgent(db, a.uid, a.limit, new Date(Date.UTC(2026, 0, 1, 0, i)), a.groups ?? []);
    if (a.offline)
      await new PresenceRepository(db).savePresence({ uid: a.uid, device: 'd1', role: 'a', online: false });
  }
  if (s.customers?.length)
    await customerModel(db).insertMany(
      s.customers.map((c) => ({
        _id: c.uid,
        kind: 'customer',
        vip: c.vip,
        level: c.level,
        tags: c.tags ?? [],
        last_ip: c.lastIp,
        created_at: new Date(),
        last_seen_at: new Date(),
      })),
    );
  const sent: { uid: string; envelope: kefu.v1.IEnvelope }[] = [];
  const instance = routingInstance(
    db,
    {
      toUser(_role, uid, envelope) {
        sent.push({ uid, envelope });
        return Promise.resolve();
      },
    },
    s.regions ? { regions: s.regions } : {},
  );
  if (s.config) await instance.allocator.saveConfig(s.config);
  const conn = db;
  const open = (uid: string, req: kefu.v1.IOpenConversation = {}) =>
    instance.service.open({ role: 'c', uid }, { channel: 'web', ...req }, `r_${uid}`);
  /** The notices stored in a conversation: [sender role, code, internal]. */
  const stored = (conversationId: string) =>
    new MessageRepository(conn).listMessagesAfter(conversationId, 0, 100);
  const notices = async (conversationId: string) =>
    (await stored(conversationId))
      .filter((m) => m.contentKind === 'system')
      .map((m) => {
        const c = kefu.v1.Content.decode(m.content);
        return [m.senderRole, c.system?.code ?? '', m.internalNote] as const;
      });
  const events = async (type?: RoutingEventType) => {
    await instance.events.written();
    return (await new RoutingRepository(conn).listEvents(type ? { type } : {}, 1000)).map((e) => ({
      type: e.type,
      conversation: e.conversationId,
      agent: e.agentUid,
      group: e.groupId,
      reason: e.reason,
      wait: e.waitMs,
    }));
  };
  return { instance, open, notices, stored, events, sent, db: conn };
}
