// Admin routes for people: agents (create, patch, disable, role changes, lock-out guard), skill groups,
// roles and their permissions, and that every admin route needs `config`. Server: admin-routes-env.ts.
import { describe, expect, it } from 'vitest';
import { agentModel } from '../../src/model/agent.js';
import { auditLogModel } from '../../src/model/audit-log.js';
import { useAdminRoutes, type AgentBody, type GroupBody, type Session } from './admin-routes-env.js';

describe('admin routes', () => {
  const t = useAdminRoutes();
  const { call, signIn, refresh, audits, createAgent } = t;

  describe('agents', () => {
    it('creates an agent who can sign in, lists it, audits it, never shows the hash', async () => {
      const created = await createAgent({
        username: 'xiaowang',
        email: 'Wang@Example.com',
        max_concurrent: 4,
      });
      expect(created).toMatchObject({
        username: 'xiaowang',
        display_name: '小王',
        email: 'wang@example.com',
        role: 'agent',
        max_concurrent: 4,
        disabled: false,
        group_ids: [],
      });
      expect(Date.parse(created.created_at)).not.toBeNaN();
      const list = await call('GET', '/admin/agents', t.admin.token);
      const agents = list.body['agents'] as AgentBody[];
      expect(agents.map((a) => a.username)).toEqual(['admin', 'xiaowang']);
      expect(JSON.stringify(list.body)).not.toMatch(/scrypt|password/);
      const session = await signIn('xiaowang', 'agent-pass-123');
      expect(session.user.perms).toEqual(['chat', 'points:view']);
      expect(await audits('admin.agent.create')).toEqual([
        expect.objectContaining({
          actor_uid: t.admin.user.uid,
          target_type: 'agent',
          target_id: created.uid,
        }),
      ]);
    });

    it('refuses a taken username with 409 and bad bodies with 400, changing nothing', async () => {
      const before = await agentModel(t.server.db).countDocuments();
      const dup = await call('POST', '/admin/agents', t.admin.token, {
        username: 'admin',
        display_name: 'x',
        role: 'agent',
      });
      expect(dup.status).toBe(409);
      for (const body of [
        { username: 'a b', display_name: 'x', role: 'agent' },
        { username: 'valid1', display_name: 'x', role: 'boss' },
        { username: 'valid1', display_name: 'x', role: 'agent', password: 'short' },
        { username: 'valid1', display_name: 'x', role: 'agent', email: 'not-an-email' },
        { username: 'valid1', display_name: 'x', role: 'agent', extra: 1 },
        { username: 'valid1', display_name: 'x', role: 'agent', group_ids: ['g_missing'] },
        '[1,2',
      ]) {
        const res = await call('POST', '/admin/agents', t.admin.token, body);
        expect(res.status, JSON.stringify(body)).toBe(400);
      }
      expect(await agentModel(t.server.db).countDocuments()).toBe(before);
    });

    it('patches fields, resets the password, disables (refresh then refused)', async () => {
      const a = await createAgent({ username: 'patchme' });
      const session = await signIn('patchme', 'agent-pass-123');
      const res = await call('PATCH', `/admin/agents/${a.uid}`, t.admin.token, {
        display_name: '新名字',
        max_concurrent: 7,
        email: 'p@example.com',
        password: 'new-pass-4567',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ display_name: '新名字', max_concurrent: 7, email: 'p@example.com' });
      // The reset ended the sessions opened with the old password.
      expect((await refresh(session)).status).toBe(401);
      const fresh = await signIn('patchme', 'new-pass-4567');
      expect(
        (await call('PATCH', `/admin/agents/${a.uid}`, t.admin.token, { email: null })).body,
      ).toMatchObject({
        email: null,
      });
      expect((await call('PATCH', `/admin/agents/${a.uid}`, t.admin.token, { disabled: true })).status).toBe(
        200,
      );
      expect((await refresh(fresh)).status).toBe(401);
      const audit = await audits('admin.agent.update');
      expect(audit.length).toBe(3);
      expect(JSON.stringify(audit)).not.toContain('new-pass-4567');
    });

    it('applies a role change at refresh', async () => {
      const a = await createAgent({ username: 'promoted' });
      const session = await signIn('promoted', 'agent-pass-123');
      await call('PATCH', `/admin/agents/${a.uid}`, t.admin.token, { role: 'supervisor' });
      const res = await refresh(session);
      expect(res.status).toBe(200);
      const body = (await res.json()) as Session;
      expect(body.user.agent_role).toBe('supervisor');
      expect(body.user.perms).toContain('monitor');
    });

    it('404 for an unknown agent; 400 for an empty or bad patch', async () => {
      expect((await call('PATCH', '/admin/agents/a_nobody', t.admin.token, { disabled: true })).status).toBe(
        404,
      );
      expect((await call('PATCH', `/admin/agents/${t.admin.user.uid}`, t.admin.token, {})).status).toBe(400);
      const bad = await call('PATCH', `/admin/agents/${t.admin.user.uid}`, t.admin.token, {
        max_concurrent: -1,
      });
      expect(bad.status).toBe(400);
    });

    it('an admin cannot lock themselves out', async () => {
      const self = `/admin/agents/${t.admin.user.uid}`;
      expect((await call('PATCH', self, t.admin.token, { disabled: true })).status).toBe(409);
      expect((await call('PATCH', self, t.admin.token, { role: 'agent' })).status).toBe(409);
      const doc = await agentModel(t.server.db).findById(t.admin.user.uid).lean();
      expect(doc).toMatchObject({ role: 'admin', disabled: false });
    });

    it('refuses a second agent with the same email (SSO maps by email)', async () => {
      await createAgent({ email: 'same@example.com' });
      const res = await call('POST', '/admin/agents', t.admin.token, {
        username: 'other1',
        display_name: 'x',
        role: 'agent',
        email: 'SAME@example.com',
      });
      expect(res.status).toBe(409);
    });
  });

  describe('groups', () => {
    it('creates, lists with members, renames, deletes (members keep their accounts)', async () => {
      const created = await call('POST', '/admin/groups', t.admin.token, {
        name: '售后',
        description: '退换货',
      });
      expect(created.status).toBe(201);
      const group = created.body as unknown as GroupBody;
      expect(group).toMatchObject({ name: '售后', description: '退换货', member_uids: [] });
      expect((await call('POST', '/admin/groups', t.admin.token, { name: '售后' })).status).toBe(409);
      const member = await createAgent({ group_ids: [group.id] });
      const list = await call('GET', '/admin/groups', t.admin.token);
      expect(list.body['groups']).toEqual([
        expect.objectContaining({ id: group.id, member_uids: [member.uid] }),
      ]);
      const renamed = await call('PATCH', `/admin/groups/${group.id}`, t.admin.token, { name: '售后服务' });
      expect(renamed.body).toMatchObject({ name: '售后服务', member_uids: [member.uid] });
      expect((await call('PATCH', `/admin/groups/${group.id}`, t.admin.token, { name: '' })).status).toBe(
        400,
      );
      expect((await call('DELETE', `/admin/groups/${group.id}`, t.admin.token)).status).toBe(204);
      expect((await call('DELETE', `/admin/groups/${group.id}`, t.admin.token)).status).toBe(404);
      expect(await agentModel(t.server.db).findById(member.uid).lean()).toMatchObject({ group_ids: [] });
      const actions = (await auditLogModel(t.server.db).find({ target_type: 'group' }).lean()).map(
        (d) => d.action,
      );
      expect(actions.sort()).toEqual(['admin.group.create', 'admin.group.delete', 'admin.group.update']);
    });
  });

  describe('roles', () => {
    it('lists defaults, changes a role (applied at refresh), admin keeps config', async () => {
      const list = await call('GET', '/admin/roles', t.admin.token);
      expect(list.body['roles']).toContainEqual({ role: 'agent', perms: ['chat', 'points:view'] });
      expect(list.body['permissions']).toContain('pii:view');
      await createAgent({ username: 'roletest' });
      const session = await signIn('roletest', 'agent-pass-123');
      const put = await call('PUT', '/admin/roles/agent', t.admin.token, { perms: ['stats:view', 'chat'] });
      expect(put.body).toEqual({ role: 'agent', perms: ['chat', 'stats:view'] });
      const refreshed = (await (await refresh(session)).json()) as Session;
      expect(refreshed.user.perms).toEqual(['chat', 'stats:view']);
      expect((await signIn('roletest', 'agent-pass-123')).user.perms).toEqual(['chat', 'stats:view']);
      const adminPut = await call('PUT', '/admin/roles/admin', t.admin.token, { perms: ['chat'] });
      expect(adminPut.body).toEqual({ role: 'admin', perms: ['chat', 'config'] });
      expect((await signIn('admin', 'admin-pass-123')).user.perms).toEqual(['chat', 'config']);
      expect((await call('PUT', '/admin/roles/boss', t.admin.token, { perms: [] })).status).toBe(404);
      expect((await call('PUT', '/admin/roles/agent', t.admin.token, { perms: ['fly'] })).status).toBe(400);
      expect((await audits('admin.role.update')).length).toBe(2);
    });
  });

  it('every admin route is forbidden without config and unauthenticated without a token', async () => {
    await createAgent({ username: 'plain' });
    const plain = await signIn('plain', 'agent-pass-123');
    const routes: [string, string][] = [
      ['GET', '/admin/agents'],
      ['POST', '/admin/agents'],
      ['PATCH', '/admin/agents/x'],
      ['GET', '/admin/groups'],
      ['POST', '/admin/groups'],
      ['PATCH', '/admin/groups/x'],
      ['DELETE', '/admin/groups/x'],
      ['GET', '/admin/roles'],
      ['PUT', '/admin/roles/agent'],
      ['GET', '/admin/routing'],
      ['PUT', '/admin/routing'],
      ['GET', '/admin/routing/events'],
      ['GET', '/admin/blacklist'],
      ['POST', '/admin/blacklist'],
      ['DELETE', '/admin/blacklist/x'],
    ];
    for (const [method, path] of routes) {
      expect(
        (await call(method, path, plain.token, method === 'GET' ? undefined : {})).status,
        `${method} ${path}`,
      ).toBe(403);
      expect((await call(method, path, 'nope')).status, `${method} ${path}`).toBe(401);
    }
  });
});
