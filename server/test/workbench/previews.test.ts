// The workbench list's preview and waiting timer as messages of every kind arrive, are recalled and rated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { kefu } from '@kefu/proto';

const FIVE_STAR = kefu.v1.RatingScale.RATING_SCALE_FIVE_STAR;
import { conversationModel } from '../../src/model/conversation.js';
import { WorkbenchRepository } from '../../src/repository/workbench-repository.js';
import { startServer, type KefuServer } from '../../src/server.js';
import { silentLogger, testConfig } from '../helpers.js';
import { customer, online } from '../messaging/harness.js';
import { wav } from '../uploads/fixtures.js';
import { api, onlineAgent } from './fixtures.js';

describe('workbench previews and waiting', () => {
  let server: KefuServer;
  let amy: Awaited<ReturnType<typeof onlineAgent>>;
  let li: ReturnType<typeof customer>;
  let conversationId = '';

  const row = async (): Promise<{ preview: string; waiting: number }> => {
    const res = await api(server, 'GET', `/agent/conversations/${conversationId}`, amy.token);
    const lm = res.body['last_message'] as { preview: string } | null;
    return { preview: lm?.preview ?? '', waiting: res.body['waiting_ms'] as number };
  };
  const fromCustomer = async (content: kefu.v1.IContent, expected: string) => {
    await li.send(conversationId, content);
    await waitFor(`preview ${expected}`, async () => (await row()).preview === expected);
  };

  beforeAll(async () => {
    server = await startServer(testConfig({ MONGODB_URI: testMongoUri('previews') }), silentLogger);
    amy = await onlineAgent(server, 'amy', 'agent');
    li = customer(server.url, 'li_previews');
    await li.start();
    await online(li);
    conversationId = (await li.open()).id ?? '';
    await waitFor(
      'assigned',
      async () => (await conversationModel(server.db).findById(conversationId).lean())?.agent_uid === amy.uid,
    );
  }, 60_000);
  afterAll(async () => {
    await li.stop();
    await amy.client.stop();
    await server.stop();
  });

  it('names what a card, file, sticker or voice clip is, as the console does live', async () => {
    await fromCustomer({ order: { orderNo: '202412060001', statusText: '运输中' } }, '[订单] 202412060001');
    await fromCustomer({ product: { id: 'p1001', title: '蓝牙耳机' } }, '[商品] 蓝牙耳机');
    await fromCustomer(
      { file: { url: 'https://mall.example/files/发票.pdf', name: '发票.pdf', sizeBytes: 1000 } },
      '[文件] 发票.pdf',
    );
    await fromCustomer({ sticker: { pack: 'kefu', stickerId: 'thanks', alt: '谢谢' } }, '[表情] 谢谢');
    // A voice clip must be uploaded first; the server measures it (12 s of 8 kHz audio).
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(wav(8_000 * 12))], { type: 'audio/wav' }), 'clip.wav');
    const up = await fetch(`${server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=voice`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(await li.sessions.current()).token}` },
      body: form,
    });
    const { upload_id: uploadId } = (await up.json()) as { upload_id: string };
    await fromCustomer({ voice: { uploadId } }, '[语音] 12″');
  });

  it('drops a recalled message’s text from the preview, also after a reload', async () => {
    await amy.client.sendText(conversationId, '这条消息马上撤回');
    await waitFor('preview of the text', async () => (await row()).preview === '这条消息马上撤回');
    const messages = await api(
      server,
      'GET',
      `/conversations/${conversationId}/messages?limit=200`,
      amy.token,
    );
    const last = (messages.body['messages'] as { id: string; seq: number }[]).at(-1);
    await amy.client.recall(conversationId, last?.id ?? '');
    await waitFor('recalled preview', async () => (await row()).preview === '[已撤回]');
    expect(JSON.stringify((await api(server, 'GET', '/agent/conversations', amy.token)).body)).not.toContain(
      '马上撤回',
    );
  });

  it('does not start the waiting timer for a rating, only for what needs an answer', async () => {
    await amy.client.send(conversationId, {
      ratingInvite: { inviteId: 'inv-1', scale: FIVE_STAR, prompt: '请为本次服务打分' },
    });
    await waitFor('invite stored', async () => (await row()).preview === '[评价邀请]');
    expect((await row()).waiting).toBe(0);
    await li.send(conversationId, { ratingResult: { inviteId: 'inv-1', scale: FIVE_STAR, score: 5 } });
    await waitFor('rating stored', async () => (await row()).preview === '[评价]');
    expect((await row()).waiting).toBe(0);
    await li.sendText(conversationId, '还有一个问题');
    await waitFor('waiting again', async () => (await row()).waiting > 0);
  });

  it('keeps the newer preview when two messages’ activities land out of order', async () => {
    const repo = new WorkbenchRepository(server.db);
    const seq =
      ((await conversationModel(server.db).findById(conversationId).lean())?.last_message?.seq ?? 0) + 100;
    const at = new Date();
    const activity = (s: number, preview: string) => ({
      last: { seq: s, preview, senderRole: 'customer', at },
      fromCustomer: true,
      awaitsAnswer: true,
      answers: false,
    });
    await repo.recordMessage(conversationId, activity(seq + 1, 'newer'));
    await repo.recordMessage(conversationId, activity(seq, 'older'));
    const doc = await conversationModel(server.db).findById(conversationId).lean();
    expect(doc?.last_message).toMatchObject({ seq: seq + 1, preview: 'newer' });
    // The older message still counts: its seq is kept for unread counting.
    expect(doc?.customer_seqs?.slice(-2)).toEqual([seq + 1, seq]);
  });
});
