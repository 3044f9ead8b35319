import { CUSTOMER_STRINGS } from '@kefu/sdk-core';
import type { Locale } from '../widget/types.js';

export { fmt } from '@kefu/sdk-core';

const zh = {
  ...CUSTOMER_STRINGS['zh-CN'],
  locale: 'zh-CN' as Locale,
  title: '在线客服',
  close: '关闭',
  identityRefused: '身份验证失败，请刷新页面或重新登录后再试',
  placeholder: '请输入消息，Enter 发送',
  email: '邮箱',
  transferHuman: '转人工',
  newMessage: '【新消息】',
  remove: '移除',
  messageActions: '消息操作',
};
export type Strings = typeof zh;

const en: Strings = {
  ...CUSTOMER_STRINGS['en'],
  locale: 'en',
  title: 'Customer service',
  close: 'Close',
  identityRefused: 'We could not verify your identity. Please reload the page or sign in again.',
  placeholder: 'Type a message, Enter to send',
  email: 'Email',
  transferHuman: 'Talk to a person',
  newMessage: '(New message) ',
  remove: 'Remove',
  messageActions: 'Message actions',
};

export const STRINGS: Record<Locale, Strings> = { 'zh-CN': zh, en };
