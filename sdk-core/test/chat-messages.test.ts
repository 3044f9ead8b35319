import { describe, expect, it } from 'vitest';
import { kefu } from '@kefu/proto';
import {
  CUSTOMER_STRINGS,
  KEFU_STICKER_PACK,
  RECALL_WINDOW_MS,
  canRecall,
  describeQuote,
  findSticker,
  messageSnippet,
  recalledText,
  stickerContent,
  stickerPath,
} from '../src/index.js';

const { Role } = kefu.v1;
const zh = CUSTOMER_STRINGS['zh-CN'];
const en = CUSTOMER_STRINGS.en;

const customer = { role: Role.ROLE_CUSTOMER, uid: 'u_1' };
const agent = { role: Role.ROLE_AGENT, uid: 'a_1', name: '小王' };

describe('quotes', () => {
  const messages: kefu.v1.IMessage[] = [
    { id: 'm1', seq: 1, sender: agent, content: { text: { text: '您好，\n请问有什么可以帮您？' } } },
    { id: 'm2', seq: 2, sender: customer, content: { file: { name: '发票.pdf' } } },
    { id: 'm3', seq: 3, sender: customer, recalled: true, content: null },
    { id: 'm4', seq: 4, hidden: true },
  ];

  it("reads as the quoted message's author and one line of it", () => {
    expect(describeQuote('m1', messages, zh)).toEqual({
      id: 'm1',
      state: 'found',
      author: '小王',
      snippet: '您好， 请问有什么可以帮您？',
    });
    expect(describeQuote('m2', messages, zh)).toMatchObject({ author: '你', snippet: '[文件] 发票.pdf' });
    expect(describeQuote('m2', messages, en)).toMatchObject({ author: 'You', snippet: '[File] 发票.pdf' });
  });

  it('says when the quoted message was recalled, is not loaded, or is a note the customer never sees', () => {
    expect(describeQuote('m3', messages, zh)).toMatchObject({ state: 'recalled', snippet: '原消息已撤回' });
    expect(describeQuote('gone', messages, zh)).toMatchObject({ state: 'unknown', snippet: '引用的消息' });
    expect(describeQuote('m4', messages, zh)).toMatchObject({ state: 'unknown', snippet: '引用的消息' });
    expect(describeQuote('', messages, zh)).toBeUndefined();
  });

  it('names every kind of content in one line', () => {
    expect(messageSnippet({ image: {} }, zh)).toBe('[图片]');
    expect(messageSnippet({ voice: { durationMs: 3000 } }, zh)).toBe('[语音]');
    expect(messageSnippet({ sticker: { alt: '谢谢' } }, zh)).toBe('[表情] 谢谢');
    expect(messageSnippet({ order: { orderNo: 'JF1' } }, zh)).toBe('[订单] JF1');
    expect(messageSnippet({ text: { text: 'x'.repeat(200) } }, zh)).toHaveLength(81);
    expect(messageSnippet({}, en)).toBe('[Message]');
  });
});

describe('recall', () => {
  const sent = 1_000_000;
  const mine: kefu.v1.IMessage = { id: 'm', sender: customer, createdAtMs: sent, content: {} };

  it("is offered on the customer's own messages within the window, with a margin", () => {
    expect(canRecall(mine, sent + 1_000)).toBe(true);
    expect(canRecall(mine, sent + RECALL_WINDOW_MS - 5_000)).toBe(true);
    expect(canRecall(mine, sent + RECALL_WINDOW_MS - 1_000)).toBe(false);
    expect(canRecall({ ...mine, sender: agent }, sent + 1_000)).toBe(false);
    expect(canRecall({ ...mine, recalled: true }, sent + 1_000)).toBe(false);
  });

  it('says who recalled', () => {
    expect(recalledText(mine, zh)).toBe('你撤回了一条消息');
    expect(recalledText({ ...mine, sender: agent }, zh)).toBe('客服撤回了一条消息');
    expect(recalledText({ ...mine, sender: agent }, en)).toBe('The agent recalled a message');
  });
});

describe('the kefu sticker pack', () => {
  it('has 16 stickers with ids fit for file names and alt texts in both languages', () => {
    expect(KEFU_STICKER_PACK.stickers).toHaveLength(16);
    const ids = KEFU_STICKER_PACK.stickers.map((s) => s.id);
    expect(new Set(ids).size).toBe(16);
    for (const s of KEFU_STICKER_PACK.stickers) {
      expect(s.id).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
      expect(s.alt['zh-CN']).toBeTruthy();
      expect(s.alt.en).toBeTruthy();
    }
    expect(findSticker('kefu', 'thanks')?.alt['zh-CN']).toBe('谢谢');
    expect(findSticker('kefu', 'nope')).toBeUndefined();
  });

  it('sends pack, id, the absolute URL and the alt text in the UI language', () => {
    const thanks = findSticker('kefu', 'thanks')!;
    expect(stickerPath('kefu', 'thanks')).toBe('/sdk/v1/stickers/kefu/thanks.svg');
    expect(stickerContent('https://kefu.example.com/', KEFU_STICKER_PACK, thanks, 'en')).toEqual({
      sticker: {
        pack: 'kefu',
        stickerId: 'thanks',
        url: 'https://kefu.example.com/sdk/v1/stickers/kefu/thanks.svg',
        alt: 'Thanks',
      },
    });
  });
});
