import { ValidationError } from '../../errors.js';
import type { SettingRepository } from '../../repository/setting-repository.js';
import type { WorkbenchRepository } from '../../repository/workbench-repository.js';
import type { ConversationService } from '../conversations/conversation-service.js';
import type { Viewer } from './workbench-service.js';
import { WorkbenchService } from './workbench-service.js';

export interface SummaryOptions {
  categories: string[];
  tags: string[];
}

export interface SummaryInput {
  category: string;
  tags: string[];
  remark: string;
}

/** Used until an admin stores other options (`settings` document `summary_options`). */
export const DEFAULT_SUMMARY_OPTIONS: SummaryOptions = {
  categories: ['咨询', '售后', '投诉', '建议', '其他'],
  tags: ['已解决', '未解决', '需回访', '积分问题', '订单问题', '物流问题', '账户问题'],
};

const KEY = 'summary_options';

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** 会话小结: closing with a summary, editing it later, and the options agents pick from. */
export class SummaryService {
  constructor(
    private readonly deps: {
      settings: SettingRepository;
      workbench: WorkbenchRepository;
      conversationService: ConversationService;
    },
  ) {}

  async options(): Promise<SummaryOptions> {
    const stored = await this.deps.settings.findSetting(KEY);
    if (stored && isStringArray(stored['categories']) && isStringArray(stored['tags']))
      return { categories: stored['categories'], tags: stored['tags'] };
    return DEFAULT_SUMMARY_OPTIONS;
  }

  async saveOptions(options: SummaryOptions): Promise<SummaryOptions> {
    const clean = { categories: [...new Set(options.categories)], tags: [...new Set(options.tags)] };
    await this.deps.settings.saveSetting(KEY, clean);
    return clean;
  }

  /** Closes like MQTT CloseConversation (its agent only), then stores the summary; checked before anything. */
  async close(
    agentUid: string,
    conversationId: string,
    summary: SummaryInput | undefined,
    requestId: string,
  ) {
    if (summary) await this.check(summary);
    await this.deps.conversationService.close({ role: 'a', uid: agentUid }, { conversationId }, requestId);
    if (summary) await this.save(agentUid, conversationId, summary);
  }

  /** The conversation's agent (or `monitor`) edits the summary, also long after the close. */
  async edit(viewer: Viewer, conversationId: string, summary: SummaryInput): Promise<void> {
    await new WorkbenchService(this.deps.workbench).find(viewer, conversationId);
    await this.check(summary);
    await this.save(viewer.uid, conversationId, summary);
  }

  private async check(summary: SummaryInput): Promise<void> {
    const options = await this.options();
    if (!options.categories.includes(summary.category))
      throw new ValidationError(`Unknown summary category ${summary.category}`);
    const unknown = summary.tags.filter((t) => !options.tags.includes(t));
    if (unknown.length) throw new ValidationError(`Unknown summary tag ${unknown.join(', ')}`);
  }

  private async save(by: string, conversationId: string, s: SummaryInput): Promise<void> {
    await this.deps.workbench.saveSummary(conversationId, {
      category: s.category,
      tags: [...new Set(s.tags)],
      remark: s.remark,
      by,
      at: new Date(),
    });
  }
}
