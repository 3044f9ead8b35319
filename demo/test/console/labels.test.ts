// Words for the codes the console shows (labels.ts) and for failed requests (error-text.ts): never a
// raw code, an English server message or "ApiError: …" on screen.
import { describe, expect, it } from 'vitest';
import { closeReasonLabel, codeLabel, noticeText } from '../../console/src/labels.js';
import { errorDetail, errorText, fieldErrorText, ssoErrorText } from '../../console/src/error-text.js';
import { translator } from '../../console/src/i18n/index.js';

const zh = translator('zh-CN');
const en = translator('en');

/** An error as the console's API helper throws it (sdk-web ApiError: code, status, message). */
class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

describe('code labels', () => {
  it('names every role and permission, including points:view', () => {
    expect(['agent', 'supervisor', 'admin'].map((r) => codeLabel(zh, 'role', r))).toEqual([
      '客服',
      '主管',
      '管理员',
    ]);
    const perms = ['chat', 'pii:view', 'monitor', 'stats:view', 'config', 'export', 'points:view'];
    expect(perms.map((p) => codeLabel(zh, 'permission', p))).toEqual([
      '接待会话',
      '查看客户敏感信息',
      '查看全部会话',
      '查看统计',
      '系统配置',
      '导出数据',
      '查看积分',
    ]);
    for (const p of perms) expect(codeLabel(en, 'permission', p)).not.toBe(p);
  });

  it('names channels, statuses, routing events and their reasons', () => {
    expect(['web', 'h5', 'miniprogram', 'app'].map((c) => codeLabel(zh, 'channel', c))).toEqual([
      '网页',
      '手机网页',
      '小程序',
      'App',
    ]);
    expect(codeLabel(zh, 'status', 'queued')).toBe('排队中');
    expect(codeLabel(en, 'status', 'closed')).toBe('Closed');
    expect(codeLabel(zh, 'routingEvent', 'timed_out')).toBe('超时');
    expect(codeLabel(zh, 'reason', 'queue_full')).toBe('排队已满');
    expect(codeLabel(en, 'reason', 'agent_timeout')).toBe('Agent did not reply in time');
  });

  it('shows an unknown code as it is, and nothing for none', () => {
    expect(codeLabel(zh, 'channel', 'douyin')).toBe('douyin');
    expect(codeLabel(zh, 'reason', null)).toBe('');
  });

  it('says why a conversation closed', () => {
    expect(closeReasonLabel(zh, 'queue_timeout')).toBe('排队超时');
    expect(closeReasonLabel(zh, 'customer_timeout')).toBe('客户长时间未回复');
    expect(closeReasonLabel(zh, 'customer ended the chat')).toBe('客户结束了会话');
    expect(closeReasonLabel(zh, '客户已下单')).toBe('客户已下单');
  });

  it("translates event notices by code and keeps an admin's notice text", () => {
    const transfer = {
      code: 'transfer_note',
      text: '小王 的转接备注：积分',
      params: { from: '小王', note: '积分' },
    };
    expect(noticeText(zh, transfer)).toBe('由 小王 转接：积分');
    expect(noticeText(en, transfer)).toBe('Transferred by 小王: 积分');
    expect(noticeText(zh, { code: 'transferred', text: 'x', params: { from: '小王', to: '老张' } })).toBe(
      '会话已由 小王 转接给 老张',
    );
    // Without its params the server's text is shown.
    expect(noticeText(zh, { code: 'transferred', text: '会话已转接给客服 老张' })).toBe(
      '会话已转接给客服 老张',
    );
    expect(noticeText(zh, { code: 'greeting', text: '您好，欢迎咨询' })).toBe('您好，欢迎咨询');
    expect(noticeText(zh, { code: 'no_agent', text: '' })).toBe('[系统] 已告知客户当前无客服在线');
  });
});

describe('error text', () => {
  it('says what happened by the error code, keeping the server text for the tooltip', () => {
    const e = new ApiError('Missing permission config', 'forbidden');
    expect(errorText(zh, e)).toBe('你没有权限执行此操作，请联系管理员');
    expect(errorText(en, e)).toBe('You are not allowed to do this; ask an administrator');
    expect(errorDetail(e)).toBe('forbidden: Missing permission config');
    expect(errorText(zh, { code: 'payload_too_large', message: 'The file is larger than 20 MB' })).toBe(
      '文件过大',
    );
    expect(errorText(zh, { code: 'unsupported_media_type', message: 'x' })).toBe('不支持的文件类型');
    expect(errorText(zh, new TypeError('Failed to fetch'))).toBe('网络连接失败，请检查网络后重试');
    expect(errorText(zh, new Error('network error'))).toBe('网络连接失败，请检查网络后重试');
    expect(errorText(zh, new Error('boom'))).toBe('操作失败，请稍后再试');
    for (const x of [e, 'ApiError: forbidden', new Error('x')])
      expect(errorText(zh, x)).not.toMatch(/Error|[a-z]_[a-z]/);
  });

  it('says more for the server messages it knows', () => {
    expect(errorText(zh, { code: 'conflict', message: 'You cannot disable your own account' })).toBe(
      '不能停用自己的账户',
    );
    expect(errorText(zh, { code: 'conflict', message: '小李 is not online' })).toBe(
      '对方当前无法接待（不在线或已满），请选择其他客服或技能组',
    );
    expect(
      errorText(zh, { code: 'bad_request', message: 'The voice clip has no sound or is too short' }),
    ).toBe('语音太短或没有声音');
    // The server's details.reason (sdk-core HttpError.reason) says it without its English text.
    expect(errorText(zh, { code: 'bad_request', message: 'x', reason: 'too_long' })).toBe(
      '语音太长，超过了允许的时长',
    );
    expect(errorText(zh, { code: 'unavailable', message: 'x', reason: 'voice_unavailable' })).toBe(
      '服务器暂时无法处理语音，请稍后再试',
    );
  });

  it('names a refused field by its label', () => {
    expect(
      fieldErrorText(zh, { path: 'queue_timeout', message: 'the reminder must come before the close' }),
    ).toBe('排队超时：提醒须早于结束会话');
    expect(
      fieldErrorText(zh, { path: 'rules.0.match', message: 'a rule needs at least one condition' }),
    ).toBe('规则 1 · 条件：至少需要一个条件');
    expect(fieldErrorText(en, { path: 'overflow.1', message: 'Expected object' })).toBe(
      'Level 2: This value is not valid',
    );
  });

  it('says why single sign-on failed', () => {
    expect(ssoErrorText(zh, 'account_disabled')).toBe('此账户已停用，请联系管理员');
    expect(ssoErrorText(zh, 'exchange')).toBe('登录链接已过期或已使用，请重新登录');
    expect(ssoErrorText(en, 'unavailable')).toBe('Single sign-on is unavailable right now; try again later');
    expect(ssoErrorText(zh, 'nope')).toBe('单点登录失败，请重试');
  });
});
