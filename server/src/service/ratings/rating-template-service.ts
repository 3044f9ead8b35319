import { ValidationError } from '../../errors.js';
import type { AuditLogRepository } from '../../repository/audit-log-repository.js';
import { audit, type Actor } from '../admin/actor.js';
import {
  SCALE_SCORES,
  defaultTemplate,
  templateFromStored,
  templateToStored,
  type RatingTemplate,
} from './rating-templates.js';

const KEY = 'rating_templates';
/** Read again at most this long after the last read, per instance. */
const CACHE_MS = 5_000;

export interface RatingTemplateStore {
  findSetting(key: string): Promise<Record<string, unknown> | null>;
  saveSetting(key: string, value: Record<string, unknown>): Promise<void>;
}

interface Templates {
  default: RatingTemplate;
  groups: Map<string, RatingTemplate>;
}

/**
 * Rating templates: the default and one per skill group (one `settings` document). The agent's invite and
 * the at-close rating of a chat use its group's template, else the default.
 */
export class RatingTemplateService {
  private cache: { at: number; value: Promise<Templates> } | undefined;

  constructor(
    private readonly store: RatingTemplateStore,
    private readonly auditLog: Pick<AuditLogRepository, 'saveAuditLog'>,
  ) {}

  async forGroup(groupId: string | undefined): Promise<RatingTemplate> {
    const t = await this.load();
    return (groupId ? t.groups.get(groupId) : undefined) ?? t.default;
  }

  async list(): Promise<{
    default: RatingTemplate;
    groups: { groupId: string; template: RatingTemplate }[];
  }> {
    const t = await this.load();
    return {
      default: t.default,
      groups: [...t.groups].map(([groupId, template]) => ({ groupId, template })),
    };
  }

  async saveDefault(actor: Actor, template: RatingTemplate): Promise<RatingTemplate> {
    check(template);
    const t = await this.load();
    await this.save({ ...t, default: template });
    await audit(
      this.auditLog,
      actor,
      'admin.rating_template.update',
      { type: 'rating_template', id: 'default' },
      {
        scale: template.scale,
      },
    );
    return template;
  }

  /** `template` undefined: the group uses the default again. */
  async saveGroup(actor: Actor, groupId: string, template: RatingTemplate | undefined): Promise<void> {
    if (template) check(template);
    const t = await this.load();
    const groups = new Map(t.groups);
    if (template) groups.set(groupId, template);
    else groups.delete(groupId);
    await this.save({ ...t, groups });
    await audit(
      this.auditLog,
      actor,
      'admin.rating_template.update',
      { type: 'rating_template', id: groupId },
      {
        scale: template?.scale ?? 'default',
      },
    );
  }

  private async save(t: Templates): Promise<void> {
    await this.store.saveSetting(KEY, {
      default: templateToStored(t.default),
      groups: [...t.groups].map(([groupId, template]) => ({
        group_id: groupId,
        ...templateToStored(template),
      })),
    });
    this.cache = undefined;
  }

  private load(): Promise<Templates> {
    const now = Date.now();
    if (this.cache && now - this.cache.at < CACHE_MS) return this.cache.value;
    const value = this.read();
    this.cache = { at: now, value };
    value.catch(() => (this.cache = undefined));
    return value;
  }

  private async read(): Promise<Templates> {
    const stored = (await this.store.findSetting(KEY)) ?? {};
    const groups = new Map<string, RatingTemplate>();
    for (const g of Array.isArray(stored['groups']) ? (stored['groups'] as Record<string, unknown>[]) : []) {
      const template = templateFromStored(g);
      if (typeof g['group_id'] === 'string' && template) groups.set(g['group_id'], template);
    }
    return { default: templateFromStored(stored['default']) ?? defaultTemplate(), groups };
  }
}

/** One option per score of the scale, scores in order. */
function check(t: RatingTemplate): void {
  const scores = t.options.map((o) => o.score);
  const expected = SCALE_SCORES[t.scale];
  if (scores.length !== expected.length || scores.some((s, i) => s !== expected[i]))
    throw new ValidationError(
      `A ${t.scale} template needs one option for each score ${expected.join(', ')}, in that order`,
    );
}
