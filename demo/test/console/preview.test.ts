// The conversation list's live preview is the line the server stores (so a reload shows what was shown
// live), and the English console translates its label.
import { describe, expect, it } from 'vitest';
import { kefu } from '@kefu/proto';
import { localizePreview, previewText, storedPreview } from '../../console/src/preview.js';
import { translator } from '../../console/src/i18n/index.js';
import { previewOf } from '../../../server/src/service/workbench/activity.js';
import { validateContent } from '../../../server/src/service/messaging/content-rules.js';

const samples: [string, kefu.v1.IContent][] = [
  ['text', { text: { text: '  你好，\n我的订单  还没发货 ' } }],
  ['long text', { text: { text: '长'.repeat(100) + '😀' } }],
  [
    'order',
    {
      order: {
        orderNo: '202412060001',
        status: kefu.v1.OrderStatus.ORDER_STATUS_AWAITING_SHIPMENT,
        totalFen: 1200,
      },
    },
  ],
  ['product', { product: { id: 'p1', title: '蓝牙耳机 Pro', url: 'https://mall.example/p1' } }],
  ['file', { file: { uploadId: '01HZZZZZZZZZZZZZZZZZZZZZZZ', name: '发票.pdf', sizeBytes: 1000 } }],
  ['sticker', { sticker: { pack: 'kefu', stickerId: 'thanks', alt: '谢谢' } }],
  ['sticker without alt', { sticker: { pack: 'kefu', stickerId: 'x' } }],
  ['voice', { voice: { uploadId: '01HZZZZZZZZZZZZZZZZZZZZZZZ', durationMs: 11_600 } }],
  ['short voice', { voice: { uploadId: '01HZZZZZZZZZZZZZZZZZZZZZZZ', durationMs: 300 } }],
  ['image', { image: { uploadId: '01HZZZZZZZZZZZZZZZZZZZZZZZ' } }],
  ['rating invite', { ratingInvite: { inviteId: 'r1', prompt: '请评价' } }],
  ['call', { call: { callId: 'c1' } }],
];

describe('conversation list preview', () => {
  it.each(samples)('is what the server stores: %s', (_, content) => {
    const role = content.ratingInvite ? 'a' : 'c';
    const { kind, text } = validateContent(role, content);
    const stored = previewOf({
      contentKind: kind,
      text,
      content: kefu.v1.Content.encode(content).finish(),
    });
    expect(storedPreview(content)).toBe(stored);
  });

  it('names orders, products, files, stickers and voice lengths', () => {
    expect(storedPreview({ order: { orderNo: '202412060001' } })).toBe('[订单] 202412060001');
    expect(storedPreview({ product: { id: 'p', title: '蓝牙耳机' } })).toBe('[商品] 蓝牙耳机');
    expect(storedPreview({ file: { name: '发票.pdf' } })).toBe('[文件] 发票.pdf');
    expect(storedPreview({ voice: { durationMs: 12_000 } })).toBe('[语音] 12″');
    expect(storedPreview({ sticker: { alt: '谢谢' } })).toBe('[表情] 谢谢');
    expect(storedPreview({ image: {} }, true)).toBe('[内部备注] [图片]');
    expect(storedPreview(null)).toBe('[已撤回]');
    expect(storedPreview({ system: { code: 'transferred', text: '会话已转接给客服 老张' } })).toBe(
      '会话已转接给客服 老张',
    );
  });

  it('keeps the stored line in Chinese and translates its labels in English', () => {
    const zh = translator('zh-CN');
    const en = translator('en');
    for (const line of ['[订单] 202412060001', '[内部备注] [图片]', '[已撤回]', '你好 [图片]']) {
      expect(localizePreview(zh, line)).toBe(line);
    }
    expect(localizePreview(en, '[订单] 202412060001')).toBe('[Order] 202412060001');
    expect(localizePreview(en, '[内部备注] [图片]')).toBe('[Internal note] [Image]');
    expect(localizePreview(en, '[语音] 12″')).toBe('[Voice] 12″');
    expect(localizePreview(en, '[已撤回]')).toBe('[Recalled]');
    expect(localizePreview(en, '[不认识] x')).toBe('[不认识] x');
    expect(localizePreview(en, '你好 [图片]')).toBe('你好 [图片]');
    expect(previewText(en, { product: { title: 'Earbuds' } })).toBe('[Product] Earbuds');
  });
});
