// The two forms inside the chat: rating (满意度评价, per invite) and leave-a-message (留言). Drafts live in
// the component; submitting goes through the chat model.
import type { kefu } from '@kefu/proto';
import type { KefuChatController } from './controller.js';
import { ratingResult } from './rating.js';

/** What the server accepts (server/src/port/http/leave-message-routes.ts): checked here to say it in words. */
const PHONE = /^(1[3-9]\d{9}|\+\d{6,15})$/;

export class FormActions {
  constructor(private readonly c: KefuChatController) {}

  private get ui() {
    return this.c.ui;
  }

  private done(): void {
    this.c.schedule();
  }

  // Rating -------------------------------------------------------------------------------------------

  private invite(id: string): kefu.v1.IRatingInvite | undefined {
    const s = this.c.chat?.state;
    if (!s || !id) return undefined;
    // The at-close rating is the server's (its template), offered while the state says so.
    if (s.closeRating?.inviteId === id) return s.closeRating;
    return (
      s.messages.find((m) => m.content?.ratingInvite?.inviteId === id)?.content?.ratingInvite ?? undefined
    );
  }

  rateChoose(id: string, score: number): void {
    const d = this.c.draft(id);
    // Tags belong to a score: another score starts with none picked.
    if (d.score !== score) d.tags = [];
    d.score = score;
    d.error = '';
    this.done();
  }

  rateTag(id: string, tag: string): void {
    const d = this.c.draft(id);
    d.tags = d.tags.includes(tag) ? d.tags.filter((x) => x !== tag) : [...d.tags, tag];
    this.done();
  }

  rateSolved(id: string, solved: kefu.v1.Solved): void {
    this.c.draft(id).solved = solved;
    this.done();
  }

  rateComment(id: string, value: string): void {
    this.c.draft(id).comment = value.slice(0, 1000);
    this.done();
  }

  rateSubmit(id: string, declined: boolean): void {
    const invite = this.invite(id);
    const chat = this.c.chat;
    if (!invite || !chat) return;
    const d = this.c.draft(id);
    const result = ratingResult(invite, d, declined, this.c.t);
    if ('error' in result) d.error = result.error;
    else {
      const atClose = chat.state.closeRating?.inviteId === id;
      chat.rate(result);
      if (atClose && !declined) this.ui.closeRated = id;
    }
    this.done();
  }

  // Leave a message ----------------------------------------------------------------------------------

  openLeave(open: boolean): void {
    this.ui.leaving = open;
    this.ui.leave = { state: 'edit', error: '', name: '', phone: '', content: '' };
    this.done();
  }

  leaveInput(field: string, value: string): void {
    if (field !== 'name' && field !== 'phone' && field !== 'content') return;
    this.ui.leave[field] = value.slice(0, field === 'content' ? 2000 : 64);
    this.done();
  }

  leaveSubmit(): void {
    const chat = this.c.chat;
    const form = this.ui.leave;
    if (!chat || form.state === 'busy') return;
    const phone = form.phone.trim();
    const error = !form.content.trim()
      ? this.c.t.contentRequired
      : phone && !PHONE.test(phone)
        ? this.c.t.phoneInvalid
        : '';
    if (error) {
      form.error = error;
      this.done();
      return;
    }
    form.state = 'busy';
    form.error = '';
    this.done();
    const body: { name?: string; phone?: string; content: string } = { content: form.content.trim() };
    if (form.name.trim()) body.name = form.name.trim();
    if (phone) body.phone = phone;
    chat.leaveMessage(body).then(
      () => {
        form.state = 'done';
        this.done();
        // As the widget: the thanks stay a moment, then the offer returns.
        setTimeout(() => {
          if (this.ui.leave === form) this.openLeave(false);
        }, 4_000);
      },
      (err: unknown) => {
        form.state = 'edit';
        form.error = this.c.t.leaveFailed;
        this.c.emit('error', {
          code: 'leave_message_failed',
          message: err instanceof Error ? err.message : String(err),
        });
        this.done();
      },
    );
  }
}
