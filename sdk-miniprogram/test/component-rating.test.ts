// <kefu-chat>'s rating (满意度评价) against the real server: the form is what the server's invite says — the
// chat's rating template (title, five stars / NPS / two-level, a label and tags per score, required tags
// and comments, "solved?") — for the agent's invite and for the at-close rating the server offers in the
// conversation state (close_rating), which it offers only when an agent answered and nobody rated yet.
// Templates are set the way an admin sets them (PUT /api/v1/admin/rating-templates/default).
import { describe, expect, it } from 'vitest';
import { ratingModel } from '../../server/src/model/rating.js';
import { attr, waitFor, type Mounted, useComponentEnv } from './component-harness.js';
import { signed } from './fixtures.js';

interface OptionBody {
  score: number;
  label: string;
  tags: string[];
  tag_required?: boolean;
  comment_required?: boolean;
}

const option = (score: number, label: string, tags: string[] = [], extra = {}): OptionBody => ({
  score,
  label,
  tags,
  ...extra,
});

describe('<kefu-chat> rating', () => {
  const env = useComponentEnv('miniprogram-rating');

  /** Makes `template` the default rating template, as an admin does in the console. */
  async function useTemplate(template: {
    scale: 'five_star' | 'nps' | 'two_level';
    prompt: string;
    ask_solved: boolean;
    options: OptionBody[];
  }): Promise<void> {
    const { token } = await env.admin.sessions.current();
    const res = await fetch(`${env.server.url}/api/v1/admin/rating-templates/default`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(template),
    });
    expect(res.status).toBe(200);
  }

  /** A customer's chat with a first message; the conversation's id. */
  async function chat(m: Mounted, user: string, text: string): Promise<string> {
    await env.ready(m);
    await env.say(m, text);
    return env.conversationOf(`u_${user}`);
  }

  const form = '.kc-rating';

  it('draws the agent’s invite from the template: title, stars and their labels, tags per score, required tag and comment, solved?', async () => {
    await useTemplate({
      scale: 'five_star',
      prompt: '请为客服小美的服务打分',
      ask_solved: true,
      options: [
        option(1, '很差', ['答非所问'], { comment_required: true }),
        option(2, '较差'),
        option(3, '还行'),
        option(4, '不错', ['回复及时', '态度好'], { tag_required: true }),
        option(5, '超赞', ['专业']),
      ],
    });
    const m = env.mount({ server: env.server.url, identity: signed('mp_rate') });
    const conversationId = await chat(m, 'mp_rate', '我要评价');
    // The agent only invites: the server fills in the template.
    await env.admin.send(conversationId, { ratingInvite: { inviteId: 'inv-mp' } });
    await env.shows(m, '请为客服小美的服务打分', `${form} .kc-form-title`);
    expect(m.all(`${form} .kc-choice`)).toEqual(['★', '★', '★', '★', '★']);
    expect(m.all(`${form} .kc-solved .kc-tag`)).toEqual(['已解决', '未解决']);
    // One star: its label, its tags, and a comment it requires.
    m.tap(`${form} .kc-choice`, 0);
    await env.shows(m, '很差', `${form} .kc-rate-hint`);
    expect(m.all(`${form} .kc-tags .kc-tag`)).toEqual(['答非所问']);
    expect(attr(m.comp.querySelector(`${form} .kc-comment`), 'placeholder')).toBe('补充说明（必填）');
    m.tap('.kc-rate-submit');
    await env.shows(m, '请填写评价内容', `${form} .kc-error`);
    // Four stars: other words, other tags, one of them required.
    m.tap(`${form} .kc-choice`, 3);
    await env.shows(m, '不错', `${form} .kc-rate-hint`);
    expect(m.all(`${form} .kc-on`)).toHaveLength(4);
    expect(m.all(`${form} .kc-tags .kc-tag`)).toEqual(['回复及时', '态度好']);
    m.tap('.kc-rate-submit');
    await env.shows(m, '请至少选择一个标签', `${form} .kc-error`);
    m.tap(`${form} .kc-tags .kc-tag`, 0);
    m.tap(`${form} .kc-solved .kc-tag`, 0);
    m.input(`${form} .kc-comment`, '回复很快');
    await waitFor('the draft', () => (m.text(`${form} .kc-on`).includes('已解决') ? true : undefined));
    m.tap('.kc-rate-submit');
    const result = await env.agentGot(
      'the rating result',
      (x) => x.content?.ratingResult?.inviteId === 'inv-mp',
    );
    expect(result.content?.ratingResult).toMatchObject({ score: 4, tags: ['回复及时'], comment: '回复很快' });
    const rating = await waitFor('rating stored', () =>
      ratingModel(env.server.db).findById(`${conversationId}:inv-mp`).lean(),
    );
    expect(rating).toMatchObject({ score: 4, solved: 'yes', comment: '回复很快', customer_uid: 'u_mp_rate' });
    await env.shows(m, '感谢您的评价！', '.kc-rated');

    // Rated already: the end of the chat asks no more.
    await env.admin.close(conversationId, 'done');
    await env.shows(m, '会话已结束', '.kc-closed');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(m.all(form)).toHaveLength(0);
  });

  it('offers the server’s at-close rating (NPS, no "solved?") once an agent answered, then starts a new chat', async () => {
    await useTemplate({
      scale: 'nps',
      prompt: '您有多大可能向朋友推荐我们？',
      ask_solved: false,
      options: Array.from({ length: 11 }, (_, n) =>
        option(n, String(n), n >= 9 ? ['会推荐', '服务专业'] : n <= 6 ? ['等太久'] : []),
      ),
    });
    const m = env.mount({ server: env.server.url, identity: signed('mp_close') });
    const conversationId = await chat(m, 'mp_close', '积分什么时候到账？');
    await env.admin.sendText(conversationId, '今天之内到账');
    await env.shows(m, '今天之内到账', '.kc-theirs');
    await env.admin.close(conversationId, 'answered');
    await env.shows(m, '您有多大可能向朋友推荐我们？', form);
    expect(m.all(`${form} .kc-choice`)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(m.text(form)).toContain('不可能推荐');
    expect(m.all(`${form} .kc-solved`)).toHaveLength(0);
    m.tap(`${form} .kc-choice`, 9);
    await waitFor('the tags of 9', () =>
      m.all(`${form} .kc-tags .kc-tag`).join() === '会推荐,服务专业' ? true : undefined,
    );
    m.tap(`${form} .kc-tags .kc-tag`, 1);
    m.tap('.kc-rate-submit');
    const stored = await waitFor('rating at close stored', () =>
      ratingModel(env.server.db).findById(`${conversationId}:close:${conversationId}`).lean(),
    );
    expect(stored).toMatchObject({ score: 9, scale: 'nps', tags: ['服务专业'] });
    await env.shows(m, '感谢您的评价！', '.kc-rated');
    expect(m.all(form)).toHaveLength(0);
    m.tap('.kc-new-chat');
    await waitFor('the composer back', () => (m.all('.kc-input').length ? true : undefined));
    expect(m.text('.kc-list')).not.toContain('积分什么时候到账？');
  });

  it('asks nothing at close when no agent answered', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_unanswered') });
    await chat(m, 'mp_unanswered', '算了，不问了');
    m.wx.modalAnswers.push(true);
    m.tap('.kc-end');
    await env.shows(m, '会话已结束', '.kc-closed');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(m.all(form)).toHaveLength(0);
    expect(m.all('.kc-new-chat')).toHaveLength(1);
  });

  it('shows a two-level template in English (the template’s own words), and the form’s words per locale', async () => {
    await useTemplate({
      scale: 'two_level',
      prompt: 'How did we do today?',
      ask_solved: true,
      options: [option(0, 'Not great', ['Slow']), option(1, 'Loved it', ['Quick'])],
    });
    const m = env.mount({ server: env.server.url, identity: signed('mp_en'), locale: 'en' });
    await env.ready(m);
    expect(attr(m.comp.querySelector('.kc-input'), 'placeholder')).toBe('Type a message');
    m.tap('.kc-more-toggle');
    await waitFor('the more panel', () => (m.all('.kc-more-item').length ? true : undefined));
    expect(m.all('.kc-more-item')).toEqual(['🖼️Album', '📷Camera', '📎File', '📦My orders']);
    await env.say(m, 'hello');
    const conversationId = await env.conversationOf('u_mp_en');
    await env.shows(m, 'is serving you', '.kc-status');
    expect(m.text('.kc-end')).toBe('End chat');
    await env.admin.send(conversationId, { ratingInvite: { inviteId: 'inv-en' } });
    await env.shows(m, 'How did we do today?', form);
    expect(m.all(`${form} .kc-choice`)).toEqual(['👍 Loved it', '👎 Not great']);
    expect(m.text(`${form} .kc-solved`)).toContain('Was your problem solved?');
    expect(m.all(`${form} .kc-btn`)).toEqual(['Not now', 'Submit']);
    m.tap(`${form} .kc-choice`, 1);
    await env.shows(m, 'Slow', `${form} .kc-tags`);
    m.comp.setData({ locale: 'zh-CN' });
    await env.shows(m, '结束会话', '.kc-end');
    await env.shows(m, '提交评价', form);
    expect(m.all(`${form} .kc-choice`)).toEqual(['👍 Loved it', '👎 Not great']);
    expect(m.all(`${form} .kc-btn`)).toEqual(['暂不评价', '提交评价']);
    expect(m.all('.kc-more-item')).toEqual(['🖼️相册', '📷拍摄', '📎文件', '📦我的订单']);
    // Declined: stored as such, nothing more asked.
    m.tap('.kc-rate-decline');
    const declined = await waitFor('the declined rating stored', () =>
      ratingModel(env.server.db).findById(`${conversationId}:inv-en`).lean(),
    );
    expect(declined).toMatchObject({ declined: true, scale: 'two_level' });
  });
});
