// kefu-chat's texts, zh-CN (default) and en: the customer texts every Kefu customer UI shares (sdk-core),
// plus the mini-program's own (voice, album/camera, the product bar, the long-press menu, configuration
// errors).

import { CUSTOMER_STRINGS } from '@kefu/sdk-core';

export { fmt } from '@kefu/sdk-core';

export type Locale = 'zh-CN' | 'en';

const zh = {
  ...CUSTOMER_STRINGS['zh-CN'],
  identityRefused: '身份验证失败，请重新进入页面或重新登录后再试',
  badConfig: '客服组件配置有误：{message}',
  placeholder: '请输入消息',
  more: '更多',
  album: '相册',
  camera: '拍摄',
  keyboard: '键盘',
  holdToTalk: '按住 说话',
  releaseToSend: '松开 发送',
  slideToCancel: '手指上滑，取消发送',
  releaseToCancel: '松开手指，取消发送',
  tooShort: '说话时间太短',
  recordFailed: '录音失败，请检查麦克风权限',
  playFailed: '语音播放失败',
  loading: '加载中…',
  agent: '客服',
  cancel: '取消',
  leaveFailed: '提交失败，请稍后再试',
  contentRequired: '请填写留言内容',
  phoneInvalid: '请输入正确的手机号',
  sendProduct: '发送商品',
  copy: '复制',
  remove: '移除',
  openFailed: '文件打开失败，请稍后再试',
  // WeChat's modal buttons take at most four characters.
  endConfirm: '结束会话',
  commentRequired: '补充说明（必填）',
};

export type Strings = typeof zh;

const en: Strings = {
  ...CUSTOMER_STRINGS['en'],
  identityRefused: 'We could not verify your identity. Please reopen the page or sign in again.',
  badConfig: 'The chat is not set up correctly: {message}',
  placeholder: 'Type a message',
  more: 'More',
  album: 'Album',
  camera: 'Camera',
  keyboard: 'Keyboard',
  holdToTalk: 'Hold to talk',
  releaseToSend: 'Release to send',
  slideToCancel: 'Slide up to cancel',
  releaseToCancel: 'Release to cancel',
  tooShort: 'Too short to send',
  recordFailed: 'Could not record. Please allow microphone access.',
  playFailed: 'Could not play the voice message',
  loading: 'Loading…',
  agent: 'Agent',
  cancel: 'Cancel',
  leaveFailed: 'Could not send your message, please try again later',
  contentRequired: 'Please write your message',
  phoneInvalid: 'Please enter a valid phone number',
  sendProduct: 'Send product',
  copy: 'Copy',
  remove: 'Remove',
  openFailed: 'Could not open the file, please try again later',
  endConfirm: 'End',
  commentRequired: 'Comment (required)',
};

const STRINGS: Record<Locale, Strings> = { 'zh-CN': zh, en };

/** The strings of a locale; anything else than 'en' is zh-CN (the default). */
export function strings(locale: unknown): Strings {
  return locale === 'en' ? STRINGS.en : STRINGS['zh-CN'];
}
