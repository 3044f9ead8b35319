import { ValidationError } from '../../errors.js';
import type { DashboardRepository } from '../../repository/dashboard-repository.js';
import type { SettingRepository } from '../../repository/setting-repository.js';
import type { AgentRole } from '../auth/permissions.js';

export const WIDGETS = {
  my_open: { title: '我的进行中会话', unit: undefined },
  queue_length: { title: '排队人数', unit: undefined },
  my_frt_today: { title: '今日平均首次响应', unit: 's' },
  my_closed_today: { title: '今日已结束', unit: undefined },
  my_rating_avg: { title: '今日平均评分', unit: '★' },
  my_satisfaction: { title: '今日满意度', unit: '%' },
  team_online: { title: '在线客服', unit: undefined },
  team_open: { title: '全部进行中会话', unit: undefined },
} as const;
export type WidgetId = keyof typeof WIDGETS;
export const WIDGET_IDS = Object.keys(WIDGETS) as WidgetId[];

const AGENT_DEFAULT: WidgetId[] = ['my_open', 'my_frt_today', 'my_closed_today', 'my_rating_avg'];
const LEAD_DEFAULT: WidgetId[] = [...AGENT_DEFAULT, 'queue_length', 'team_online', 'team_open'];
export const DEFAULT_WIDGETS: Record<AgentRole, WidgetId[]> = {
  agent: AGENT_DEFAULT,
  supervisor: LEAD_DEFAULT,
  admin: LEAD_DEFAULT,
};

const KEY = 'dashboard_widgets';

export interface Widget {
  id: WidgetId;
  title: string;
  value: number | null;
  unit?: string;
}

function isWidgetId(v: unknown): v is WidgetId {
  return typeof v === 'string' && v in WIDGETS;
}

/** Local midnight of the server's time zone (TZ): what "today" means for the widgets. */
export function startOfToday(now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

const average = (xs: number[]): number | null =>
  xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
const round = (x: number | null, digits: number): number | null =>
  x === null ? null : Math.round(x * 10 ** digits) / 10 ** digits;

/** The workbench dashboard: widgets per role (settings), each computed for the asking agent. */
export class DashboardService {
  constructor(
    private readonly deps: {
      repository: DashboardRepository;
      settings: SettingRepository;
      onlineAgents: () => Promise<number>;
    },
  ) {}

  async widgetsOf(role: AgentRole): Promise<WidgetId[]> {
    const stored = (await this.deps.settings.findSetting(KEY))?.[role];
    return Array.isArray(stored) ? stored.filter(isWidgetId) : DEFAULT_WIDGETS[role];
  }

  async setWidgets(role: AgentRole, widgets: readonly string[]): Promise<WidgetId[]> {
    const unknown = widgets.filter((w) => !isWidgetId(w));
    if (unknown.length) throw new ValidationError(`Unknown widget ${unknown.join(', ')}`);
    const current = (await this.deps.settings.findSetting(KEY)) ?? {};
    const clean = [...new Set(widgets.filter(isWidgetId))];
    // Read-modify-write of one small document; the last of two concurrent admin edits wins.
    await this.deps.settings.saveSetting(KEY, { ...current, [role]: clean });
    return clean;
  }

  /** `monitorOnly` widgets (team_open) are left out for agents without `monitor` (decided by the port). */
  async dashboard(
    agentUid: string,
    role: AgentRole,
    mayMonitor: boolean,
    now = new Date(),
  ): Promise<Widget[]> {
    const ids = (await this.widgetsOf(role)).filter((id) => id !== 'team_open' || mayMonitor);
    return Promise.all(
      ids.map(async (id) => {
        const { title, unit } = WIDGETS[id];
        return { id, title, value: await this.value(id, agentUid, now), ...(unit ? { unit } : {}) };
      }),
    );
  }

  private async value(id: WidgetId, uid: string, now: Date): Promise<number | null> {
    const { repository } = this.deps;
    const today = startOfToday(now);
    switch (id) {
      case 'my_open':
        return repository.countConversations('open', uid);
      case 'queue_length':
        return repository.countConversations('queued');
      case 'team_open':
        return repository.countConversations('open');
      case 'team_online':
        return this.deps.onlineAgents();
      case 'my_closed_today':
        return repository.countClosedSince(uid, today);
      case 'my_frt_today': {
        const ms = average(await repository.firstResponseTimes(uid, today));
        return ms === null ? null : round(ms / 1000, 1);
      }
      case 'my_rating_avg':
        return round(average(await repository.fiveStarScores(uid, today)), 2);
      case 'my_satisfaction': {
        const scores = await repository.fiveStarScores(uid, today);
        return scores.length ? round((100 * scores.filter((s) => s >= 4).length) / scores.length, 1) : null;
      }
    }
  }
}
