// Transfer to a skill group (least-loaded online member with room) and a 500-conversation list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import type { CustomerClient } from '@kefu/sdk-core';
import { agentModel } from '../../src/model/agent.js';
import { conversationModel, readMarkModel } from '../../src/model/conversation.js';
import { customerModel } from '../../src/model/customer.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { customer, online } from '../messaging/harness.js';
import { api, onlineAgent } from './fixtures.js';

describe('transfer to a group; lists at scale', () => {
  let server: KefuServer;
  let amy: Awaited<ReturnType<typeof onlineAgent>>;
  let gus: Awaited<ReturnType<typeof onlineAgent>>;
  let hal: Awaited<ReturnType<typeof onlineAgent>>;
  let zoe: CustomerClient;

  beforeAll(async () => {
    // Command monitoring on: the list test below checks which reads a page costs.
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('wb_group'), DB_COMMAND_METRICS: 'true' }),
      silentLogger,
    );
    amy = await onlineAgent(server, 'amy', 'agent');
    gus = await onlineAgent(server, 'gus', 'agent');
    hal = await onlineAgent(server, 'hal', 'supervisor');
    // gus and hal are in the 售后 group; hal is away, so only gus can take chats.
    await agentModel(server.db).updateMany(
      { _id: { $in: [gus.uid, hal.uid] } },
      { $set: { group_ids: ['g_aftersales'] } },
    );
    await Promise.all([gus.client.setStatus('away'), hal.client.setStatus('away')]);
    zoe = customer(server.url, 'zoe');
    await zoe.start();
    await online(zoe);
  }, 60_000);
  afterAll(async () => {
    for (const c of [amy.client, gus.client, hal.client, zoe]) await c.stop();
    await server.stop();
  });

  it('picks an online group member with room, and refuses when none has room', async () => {
    const id = (await zoe.open()).id ?? '';
    await waitFor(
      'assigned to amy',
      async () => (await conversationModel(server.db).findById(id).lean())?.agent_uid === amy.uid,
    );
    const path = `/agent/conversations/${id}/transfer`;
    // Nobody of the group is online and available.
    expect((await api(server, 'POST', path, amy.token, { to_group_id: 'g_aftersales' })).status).toBe(409);
    await gus.client.setStatus('online');
    await waitFor('gus available', () =>
      server.db.collection('presence').findOne({ uid: gus.uid, agent_status: 'online' }),
    );
    await agentModel(server.db).updateOne({ _id: gus.uid }, { $set: { max_concurrent: 0 } });
    expect((await api(server, 'POST', path, amy.token, { to_group_id: 'g_aftersales' })).status).toBe(409);
    await agentModel(server.db).updateOne({ _id: gus.uid }, { $set: { max_concurrent: 5 } });
    const targets = await api(server, 'GET', '/agent/transfer-targets', amy.token);
    expect(targets.body['agents']).toEqual([
      { uid: gus.uid, display_name: 'gus', status: 'online', open: 0, max_concurrent: 5 },
    ]);
    const res = await api(server, 'POST', path, amy.token, { to_group_id: 'g_aftersales', note: '售后问题' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id, agent_uid: gus.uid });
    const doc = await conversationModel(server.db).findById(id).lean();
    expect(doc?.transfers).toEqual([
      expect.objectContaining({ from: amy.uid, to: gus.uid, to_group_id: 'g_aftersales', note: '售后问题' }),
    ]);
  });

  it('lists 500 open conversations in one page, reading customers and read marks by _id only', async () => {
    const now = Date.now();
    const n = 500;
    await customerModel(server.db).insertMany(
      Array.from({ length: n }, (_, i) => ({
        _id: `u_bulk${String(i)}`,
        kind: 'customer',
        name: `客户${String(i)}`,
        level: i % 5,
        vip: i % 2 === 0,
        created_at: new Date(now),
        last_seen_at: new Date(now),
      })),
    );
    await conversationModel(server.db).insertMany(
      Array.from({ length: n }, (_, i) => ({
        _id: `c_bulk${String(i).padStart(4, '0')}`,
        customer_uid: `u_bulk${String(i)}`,
        agent_uid: hal.uid,
        status: 'open',
        channel: 'web',
        created_at: new Date(now - 3_600_000),
        assigned_at: new Date(now - 3_600_000),
        last_activity_at: new Date(now - i * 1000),
        last_message: { seq: 3, preview: `消息${String(i)}`, sender_role: 'c', at: new Date(now - i * 1000) },
        customer_seqs: [1, 3],
        waiting_since: new Date(now - i * 1000 - 5000),
      })),
    );
    await readMarkModel(server.db).insertMany(
      Array.from({ length: n / 2 }, (_, i) => ({
        _id: `c_bulk${String(i).padStart(4, '0')}:${hal.uid}`,
        conversation_id: `c_bulk${String(i).padStart(4, '0')}`,
        uid: hal.uid,
        read_seq: 1,
        updated_at: new Date(now),
      })),
    );
    const commands: { name: string; collection: string; filter: unknown }[] = [];
    const watch = (e: { commandName: string; command: Record<string, unknown> }): void => {
      if (e.commandName === 'find' || e.commandName === 'aggregate')
        commands.push({
          name: e.commandName,
          collection: String(e.command[e.commandName]),
          filter: e.command['filter'],
        });
    };
    server.db.getClient().on('commandStarted', watch);
    const res = await api(server, 'GET', '/agent/conversations?view=mine&limit=500', hal.token);
    server.db.getClient().off('commandStarted', watch);
    expect(res.status).toBe(200);
    const list = res.body['conversations'] as { id: string; unread: number; customer: { name: string } }[];
    expect(list).toHaveLength(n);
    expect(list[0]?.id).toBe('c_bulk0000'); // newest activity first
    expect(list[0]).toMatchObject({ unread: 1, customer: { name: '客户0' } });
    expect(list[n - 1]).toMatchObject({ id: 'c_bulk0499', unread: 2 });
    expect(res.body['next_before']).toBeNull();
    // One query for the page, not one per row; customers and read marks by `_id` equality only — the one filter FerretDB
    // answers from an index (server/src/repository/README.md): an `$in` or a scan per page took seconds.
    const byCollection = (c: string) => commands.filter((x) => x.collection === c);
    // (The routing timeouts' scan may list open conversations meanwhile: at most one more.)
    expect(byCollection('conversations').length).toBeLessThanOrEqual(2);
    for (const c of ['customers', 'read_marks']) {
      expect(byCollection(c).length).toBeGreaterThan(0);
      for (const { filter } of byCollection(c)) {
        expect(Object.keys(filter as object)).toEqual(['_id']);
        expect(typeof (filter as { _id: unknown })._id).toBe('string');
      }
    }
  });
});
