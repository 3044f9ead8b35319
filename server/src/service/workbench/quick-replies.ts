import { ConflictError, NotFoundError } from '../../errors.js';
import { newId } from '../../ids.js';
import type { QuickReply, QuickReplyRepository } from '../../repository/quick-reply-repository.js';

export interface QuickReplyInput {
  scope: 'personal' | 'team';
  shortcut: string;
  title: string;
  text: string;
}

/** Case-insensitive prefix of the shortcut, the title or the text (what the `/` picker types). */
export function matches(r: QuickReply, q: string): boolean {
  const needle = q.toLowerCase();
  return [r.shortcut, r.title, r.text].some((s) => s.toLowerCase().startsWith(needle));
}

/**
 * Personal and team quick replies (快捷回复). Who may edit team replies is the port's decision
 * (permission `config`, quick-reply-routes.ts); here an agent sees their own personal replies and the team's.
 */
export class QuickReplyService {
  constructor(private readonly repository: QuickReplyRepository) {}

  /** Personal first, then the team's; each by shortcut. */
  async search(agentUid: string, q: string | undefined): Promise<QuickReply[]> {
    const all = await this.repository.listQuickReplies(agentUid);
    const hits = q ? all.filter((r) => matches(r, q)) : all;
    return [...hits.filter((r) => r.scope === 'personal'), ...hits.filter((r) => r.scope === 'team')];
  }

  async create(agentUid: string, input: QuickReplyInput): Promise<QuickReply> {
    const reply: QuickReply = {
      id: newId(),
      scope: input.scope,
      ownerUid: input.scope === 'team' ? null : agentUid,
      shortcut: input.shortcut,
      title: input.title,
      text: input.text,
      updatedAt: new Date(),
    };
    if (!(await this.repository.createQuickReply(reply)))
      throw new ConflictError(`The shortcut ${input.shortcut} is taken`);
    return reply;
  }

  async update(
    agentUid: string,
    id: string,
    changes: Partial<Omit<QuickReplyInput, 'scope'>>,
  ): Promise<QuickReply> {
    await this.find(agentUid, id);
    const saved = await this.repository.saveQuickReply(id, changes);
    if (saved === false) throw new ConflictError(`The shortcut ${changes.shortcut ?? ''} is taken`);
    if (!saved) throw new NotFoundError('Unknown quick reply');
    return saved;
  }

  async remove(agentUid: string, id: string): Promise<void> {
    await this.find(agentUid, id);
    await this.repository.removeQuickReply(id);
  }

  /** An agent's own personal reply or a team reply; someone else's personal ones do not exist. */
  async find(agentUid: string, id: string): Promise<QuickReply> {
    const r = await this.repository.findQuickReply(id);
    if (!r || (r.scope === 'personal' && r.ownerUid !== agentUid))
      throw new NotFoundError('Unknown quick reply');
    return r;
  }
}
