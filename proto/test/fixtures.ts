// Realistic messages of every kind, shared by the codec, unknown-field and sandbox tests. Plain objects
// (what callers pass to encodeEnvelope); int64 fields are numbers; floats are exactly representable in
// 32 bits so they survive the round trip unchanged.
import { kefu, type ContentKind, type EnvelopeBodyKind } from '../src/index.js';

const v1 = kefu.v1;

export const T0 = 1_732_346_242_123; // 2024-11-23T07:17:22.123Z
const CONVERSATION = '01JDBZ6K1V8Q3W9N5T2R7Y4E6M';

export const customer: kefu.v1.IParticipant = {
  role: v1.Role.ROLE_CUSTOMER,
  uid: 'c_01JDBYZ0S6V4H2K8P1Q3R5T7W9',
  name: '张**',
  avatarUrl: 'https://cdn.example.cn/avatar/c/7f3a9e.png',
};
export const agent: kefu.v1.IParticipant = {
  role: v1.Role.ROLE_AGENT,
  uid: 'a_lixiaoyu',
  name: '客服小雨 🌧️',
  avatarUrl: 'https://cdn.example.cn/avatar/a/lixiaoyu.jpg',
};
const bot: kefu.v1.IParticipant = { role: v1.Role.ROLE_BOT, uid: 'bot', name: '智能助手 🤖' };

const productButtons: kefu.v1.ICardButton[] = [
  {
    label: '立即购买',
    action: v1.CardButton.Action.ACTION_LINK,
    url: 'https://shop.example.cn/item/8861024?from=kefu',
    visibility: v1.CardButton.Visibility.VISIBILITY_CUSTOMER,
  },
  { label: '发送给客服', action: v1.CardButton.Action.ACTION_SEND, value: '我想咨询这款耳机 🎧' },
  {
    label: '确认改价',
    action: v1.CardButton.Action.ACTION_CONFIRM,
    value: 'reprice:sku-8861024:99900',
    visibility: v1.CardButton.Visibility.VISIBILITY_AGENT,
  },
];

/** One content of every `Content.kind`. */
export const contents: Record<ContentKind, kefu.v1.IContent> = {
  text: { text: { text: '您好，我昨天下的订单还没发货，能帮我查一下吗？🙏📦 谢谢！👨‍👩‍👧' } },
  sticker: {
    sticker: {
      pack: 'kefu-classic',
      stickerId: 'thumbs_up_02',
      url: 'https://cdn.example.cn/stickers/kefu-classic/thumbs_up_02.webp',
      alt: '点赞 👍',
    },
  },
  image: {
    image: {
      uploadId: 'up_01JDC0A1B2C3D4E5F6G7H8J9K0',
      url: 'https://files.example.cn/u/01JDC0A1/IMG_2024.jpg',
      thumbnailUrl: 'https://files.example.cn/u/01JDC0A1/IMG_2024.thumb.jpg',
      width: 1242,
      height: 2688,
      sizeBytes: 3_481_926,
      mimeType: 'image/jpeg',
    },
  },
  voice: {
    voice: {
      uploadId: 'up_01JDC0B7VOICE00000000000',
      url: 'https://files.example.cn/u/01JDC0B7/voice.mp3',
      durationMs: 12_800,
      mimeType: 'audio/mpeg',
      sizeBytes: 51_200,
    },
  },
  file: {
    file: {
      uploadId: 'up_01JDC0C9FILE000000000000',
      url: 'https://files.example.cn/u/01JDC0C9/invoice.pdf',
      name: '发票-2024年11月（电子版）.pdf',
      sizeBytes: 5_368_709_120, // 5 GiB: above 2^32
      mimeType: 'application/pdf',
    },
  },
  product: {
    product: {
      id: 'sku-8861024',
      title: '降噪蓝牙耳机 Pro（星空黑）🎧',
      image: 'https://img.example.cn/sku/8861024/main.webp',
      priceFen: 129_900,
      points: 1200,
      url: 'https://shop.example.cn/item/8861024',
      description: '主动降噪 · 36 小时续航 · 顺丰包邮',
      label: '1200 积分 + ¥9.90',
      buttons: productButtons,
    },
  },
  order: {
    order: {
      orderNo: 'E20241123151722000145',
      status: v1.OrderStatus.ORDER_STATUS_IN_TRANSIT,
      statusText: '运输中：已到达【上海转运中心】🚚',
      totalFen: 268_700,
      items: [
        { name: '降噪蓝牙耳机 Pro（星空黑）', image: 'https://img.example.cn/sku/8861024/s.webp', qty: 2 },
        { name: '耳机保护套（樱花粉）🌸', image: 'https://img.example.cn/sku/7720031/s.webp', qty: 1 },
      ],
      createdAtMs: T0 - 86_400_000,
      url: 'https://shop.example.cn/order/E20241123151722000145',
      goodsCount: 3,
      buttons: [
        {
          label: '查看物流',
          action: v1.CardButton.Action.ACTION_LINK,
          url: 'https://shop.example.cn/logistics',
        },
      ],
    },
  },
  ratingInvite: {
    ratingInvite: {
      inviteId: 'ri_01JDC1R8',
      scale: v1.RatingScale.RATING_SCALE_FIVE_STAR,
      options: [
        {
          score: 1,
          label: '非常不满意',
          tags: ['回复慢', '答非所问'],
          tagRequired: true,
          commentRequired: true,
        },
        { score: 3, label: '一般', tags: ['态度一般'] },
        { score: 5, label: '非常满意 😍', tags: ['响应迅速', '专业耐心', '问题已解决 ✅'] },
      ],
      askSolved: true,
      prompt: '请为本次服务打分，您的评价对我们很重要 🙏',
    },
  },
  ratingResult: {
    ratingResult: {
      inviteId: 'ri_01JDC1R8',
      scale: v1.RatingScale.RATING_SCALE_FIVE_STAR,
      score: 5,
      tags: ['响应迅速', '问题已解决 ✅'],
      comment: '小雨很耐心，点赞 👍👍',
      solved: v1.Solved.SOLVED_YES,
      declined: false,
    },
  },
  system: {
    system: {
      code: 'agent_joined',
      text: '客服 小雨 🌧️ 已接入，请问有什么可以帮您？',
      params: { agent_name: '小雨 🌧️', agent_uid: 'a_lixiaoyu', queue_wait_s: '37', '键（中文）': '值 ✨' },
    },
  },
  botReply: {
    botReply: {
      text: '根据《七天无理由退货规则》，商品签收后 7 天内可申请退货，运费由买家承担（有运费险的可理赔）📮',
      sources: [
        {
          title: '退换货政策',
          url: 'https://help.example.cn/returns',
          snippet: '签收后 7 天内，商品完好可无理由退货…',
          score: 0.875,
        },
        {
          title: '运费险说明',
          url: 'https://help.example.cn/shipping-insurance',
          snippet: '理赔金额…',
          score: 0.5,
        },
      ],
      suggestions: ['如何申请退货？', '运费险怎么理赔？', '转人工 👩‍💼'],
      answerId: 'ans_01JDC2B0T',
      offerTransfer: true,
    },
  },
  call: {
    call: {
      callId: 'call_01JDC3C4LL',
      kind: v1.CallSignalKind.CALL_SIGNAL_KIND_OFFER,
      sdp: [
        'v=0',
        'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
        's=-',
        't=0 0',
        'a=group:BUNDLE 0 1',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111',
        'c=IN IP4 0.0.0.0',
        'a=ice-ufrag:8hhY',
        'a=ice-pwd:asd88fgpdd777uzjYhagZg',
        'a=fingerprint:sha-256 7B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08',
        'a=rtpmap:111 opus/48000/2',
        'm=video 9 UDP/TLS/RTP/SAVPF 96',
        'a=rtpmap:96 VP8/90000',
        '',
      ].join('\r\n'),
      video: true,
      candidate:
        'candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.5 rport 46154',
      sdpMid: '0',
      sdpMlineIndex: 1,
    },
  },
};

/** A stored message around a content (fanned out as the `message` body, returned by sync). */
export function storedMessage(content: kefu.v1.IContent, seq = 42): kefu.v1.IMessage {
  return {
    id: `01JDC4M${String(seq).padStart(19, '0')}`,
    conversationId: CONVERSATION,
    seq,
    clientMsgId: `01JDC4C${String(seq).padStart(19, '0')}`,
    sender: content.botReply ? bot : agent,
    content,
    createdAtMs: T0 + seq,
    quoteMessageId: '01JDC4M0000000000000000041',
    internalNote: false,
  };
}

const conversationState: kefu.v1.IConversationState = {
  id: CONVERSATION,
  status: v1.ConversationStatus.CONVERSATION_STATUS_OPEN,
  customer,
  agent,
  lastSeq: 43,
  reads: [
    { uid: customer.uid ?? '', readSeq: 41 },
    { uid: agent.uid ?? '', readSeq: 43 },
  ],
  createdAtMs: T0 - 600_000,
  assignedAtMs: T0 - 540_000,
  queuePosition: 0,
  estimatedWaitMs: 0,
  onlineAgents: 0,
  channel: 'miniprogram',
};

/** One conversation event of every `ConversationEvent.kind`. */
export const conversationEvents: Record<string, kefu.v1.IConversationEvent> = {
  created: { conversationId: CONVERSATION, atMs: T0, created: { customer, channel: 'h5' } },
  queued: { conversationId: CONVERSATION, atMs: T0 + 1, queued: { position: 3, estimatedWaitMs: 90_000 } },
  assigned: { conversationId: CONVERSATION, atMs: T0 + 2, assigned: { agent } },
  transferred: {
    conversationId: CONVERSATION,
    atMs: T0 + 3,
    transferred: {
      from: agent,
      to: { ...agent, uid: 'a_wangfang', name: '售后王芳' },
      toGroupId: 'after-sales',
      note: '退款问题转售后 💸',
    },
  },
  closed: {
    conversationId: CONVERSATION,
    atMs: T0 + 4,
    closed: { by: customer, reason: '问题已解决，谢谢！' },
  },
};

/** One envelope of every `Envelope.body` kind. */
export const envelopes: Record<EnvelopeBodyKind, kefu.v1.IEnvelope> = {
  send: {
    id: '01JDC5S0000000000000000001',
    sentAtMs: T0,
    send: {
      conversationId: CONVERSATION,
      content: contents.text,
      quoteMessageId: '01JDC4M0000000000000000040',
      internalNote: false,
    },
  },
  syncRequest: {
    id: '01JDC5S0000000000000000002',
    sentAtMs: T0,
    syncRequest: { conversationId: CONVERSATION, afterSeq: 41, limit: 50 },
  },
  typing: {
    id: '01JDC5S0000000000000000003',
    sentAtMs: T0,
    typing: { conversationId: CONVERSATION, typing: true, from: customer },
  },
  read: {
    id: '01JDC5S0000000000000000004',
    sentAtMs: T0,
    read: { conversationId: CONVERSATION, readSeq: 43, reader: agent },
  },
  recall: {
    id: '01JDC5S0000000000000000005',
    sentAtMs: T0,
    recall: { conversationId: CONVERSATION, messageId: '01JDC4M0000000000000000042' },
  },
  open: {
    id: '01JDC5S0000000000000000006',
    sentAtMs: T0,
    open: {
      channel: 'web',
      entryUrl: 'https://shop.example.cn/item/8861024?utm_source=百度',
      entryTitle: '降噪蓝牙耳机 Pro - 官方旗舰店 🎧',
      groupId: 'pre-sales',
      agentUid: 'a_lixiaoyu',
      strict: true,
      attributes: { page: 'product', product_id: '8861024' },
    },
  },
  close: {
    id: '01JDC5S0000000000000000016',
    sentAtMs: T0,
    close: { conversationId: CONVERSATION, reason: '问题已解决' },
  },
  presence: {
    id: '01JDC5S0000000000000000007',
    sentAtMs: T0,
    presence: {
      role: v1.Role.ROLE_AGENT,
      uid: 'a_lixiaoyu',
      online: true,
      deviceId: 'chrome-7f3a',
      agentStatus: v1.AgentStatus.AGENT_STATUS_BUSY,
    },
  },
  ack: {
    id: '01JDC5S0000000000000000008',
    sentAtMs: T0,
    ack: {
      clientMsgId: '01JDC5S0000000000000000001',
      messageId: '01JDC4M0000000000000000043',
      conversationId: CONVERSATION,
      seq: 43,
      createdAtMs: T0 + 5,
      duplicate: true,
    },
  },
  message: { id: '01JDC5S0000000000000000009', sentAtMs: T0, message: storedMessage(contents.product) },
  syncResponse: {
    id: '01JDC5S0000000000000000010',
    sentAtMs: T0,
    syncResponse: {
      conversationId: CONVERSATION,
      messages: [storedMessage(contents.text, 42), { ...storedMessage(contents.order, 43), recalled: true }],
      hasMore: true,
      lastSeq: 43,
      conversation: conversationState,
      requestId: '01JDC5S0000000000000000002',
    },
  },
  recalled: {
    id: '01JDC5S0000000000000000011',
    sentAtMs: T0,
    recalled: {
      conversationId: CONVERSATION,
      messageId: '01JDC4M0000000000000000042',
      seq: 42,
      by: customer,
      recalledAtMs: T0 + 60_000,
    },
  },
  conversationEvent: {
    id: '01JDC5S0000000000000000012',
    sentAtMs: T0,
    conversationEvent: conversationEvents.transferred ?? {},
  },
  conversation: { id: '01JDC5S0000000000000000013', sentAtMs: T0, conversation: conversationState },
  error: {
    id: '01JDC5S0000000000000000014',
    sentAtMs: T0,
    error: {
      code: 'rate_limited',
      message: 'Too many messages: wait 3 seconds（发送太频繁，请 3 秒后再试）',
      refId: 'req-7f3a9e2c',
      requestId: '01JDC5S0000000000000000001',
    },
  },
  accessChanged: {
    id: '01JDC5S0000000000000000015',
    sentAtMs: T0,
    accessChanged: { perms: ['chat', 'monitor', 'pii:view', 'points:view'], agentRole: 'supervisor' },
  },
};
