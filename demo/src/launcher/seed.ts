// Demo data for `npm start`: agents, skill groups and team quick replies created through the admin HTTP
// API (the same calls an administrator makes), so the console has colleagues to transfer to. Idempotent:
// what exists already (409) is left as it is.

export interface DemoAgent {
  username: string;
  display_name: string;
  role: 'agent' | 'supervisor';
  password: string;
  group: string;
}

export const DEMO_AGENTS: readonly DemoAgent[] = [
  { username: 'xiaowang', display_name: '小王', role: 'agent', password: 'kefu-agent-1', group: '售前咨询' },
  { username: 'xiaoli', display_name: '小李', role: 'agent', password: 'kefu-agent-2', group: '售后服务' },
  {
    username: 'laozhang',
    display_name: '老张（主管）',
    role: 'supervisor',
    password: 'kefu-super-1',
    group: '售后服务',
  },
];

const QUICK_REPLIES = [
  { shortcut: 'hi', title: '问候', text: '您好，很高兴为您服务，请问有什么可以帮您？' },
  {
    shortcut: 'wl',
    title: '物流查询',
    text: '您的订单已发货，物流信息可在"我的订单"中查看，预计 2-3 天送达。',
  },
  {
    shortcut: 'jf',
    title: '积分说明',
    text: '积分可在积分商城兑换商品，兑换后不可退回积分，请您确认后再下单。',
  },
  {
    shortcut: 'bye',
    title: '结束语',
    text: '感谢您的耐心等待，祝您生活愉快！如有其他问题欢迎随时联系我们。',
  },
];

async function call(server: string, token: string | undefined, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await res.json().catch(() => null)) as Record<string, unknown> | null;
  return { status: res.status, json };
}

/** Returns what could not be seeded (one line each); an empty list when everything is there. */
export async function seedDemo(server: string, adminPassword: string): Promise<string[]> {
  const problems: string[] = [];
  const login = await call(server, undefined, 'POST', '/agent/sessions', {
    username: 'admin',
    password: adminPassword,
  });
  const token = typeof login.json?.['token'] === 'string' ? login.json['token'] : undefined;
  if (!token)
    return [
      `admin sign-in failed (HTTP ${String(login.status)}); set ADMIN_PASSWORD to the admin's password`,
    ];

  const groups = await call(server, token, 'GET', '/admin/groups');
  const existing = new Map<string, string>(
    ((groups.json?.['groups'] ?? []) as { id: string; name: string }[]).map((g) => [g.name, g.id]),
  );
  for (const name of new Set(DEMO_AGENTS.map((a) => a.group))) {
    if (existing.has(name)) continue;
    const created = await call(server, token, 'POST', '/admin/groups', { name });
    if (created.status === 201 && typeof created.json?.['id'] === 'string')
      existing.set(name, created.json['id']);
    else problems.push(`group ${name}: HTTP ${String(created.status)}`);
  }
  for (const a of DEMO_AGENTS) {
    const groupId = existing.get(a.group);
    const created = await call(server, token, 'POST', '/admin/agents', {
      username: a.username,
      display_name: a.display_name,
      password: a.password,
      role: a.role,
      max_concurrent: 5,
      group_ids: groupId ? [groupId] : [],
    });
    if (created.status !== 201 && created.status !== 409)
      problems.push(`agent ${a.username}: HTTP ${String(created.status)}`);
  }
  const replies = await call(server, token, 'GET', '/agent/quick-replies');
  const have = new Set(
    ((replies.json?.['quick_replies'] ?? []) as { shortcut: string }[]).map((r) => r.shortcut),
  );
  for (const r of QUICK_REPLIES) {
    if (have.has(r.shortcut)) continue;
    const created = await call(server, token, 'POST', '/agent/quick-replies', { scope: 'team', ...r });
    if (created.status !== 201) problems.push(`quick reply ${r.shortcut}: HTTP ${String(created.status)}`);
  }
  await call(server, token, 'DELETE', '/sessions/current');
  return problems;
}
