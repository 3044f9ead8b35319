// Voice messages point at voice uploads: the server takes the clip's URL, duration, type and size from
// the upload it converted and measured, never from the client.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentClient, ClientError, CustomerClient } from '@kefu/sdk-core';
import type { kefu } from '@kefu/proto';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { messageModel } from '../../src/model/message.js';
import { silentLogger, testConfig } from '../helpers.js';
import { png } from '../uploads/fixtures.js';
import { voiceClip } from '../uploads/voice-fixtures.js';
import { agent, collect, customer, online } from './harness.js';

interface UploadBody {
  upload_id: string;
  url: string;
  duration_ms?: number;
  size_bytes: number;
  mime_type: string;
}

describe('voice messages', () => {
  let server: KefuServer;
  let admin: AgentClient;
  let vera: CustomerClient;
  let walt: CustomerClient;
  let atAgent: kefu.v1.IMessage[];
  const veraErrors: ClientError[] = [];
  let veraConversation = '';
  let waltConversation = '';

  const upload = async (client: CustomerClient, conversationId: string, data: Buffer, kind: string) => {
    const { token } = await client.sessions.current();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(data)]), kind === 'voice' ? 'rec.aac' : 'a.png');
    const res = await fetch(`${server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    return (await res.json()) as UploadBody;
  };
  const stored = () => messageModel(server.db).countDocuments({ conversation_id: veraConversation });
  /** Sends a voice content that the server must refuse; nothing is stored or delivered. */
  const expectRefused = async (voice: kefu.v1.IVoice) => {
    const before = await stored();
    const id = await vera.send(veraConversation, { voice });
    const error = await waitFor('the refusal', () => veraErrors.find((e) => e.requestId === id));
    expect(error.code).toBe('bad_request');
    expect(error.message).toMatch(/voice clip must be uploaded/);
    expect(await stored()).toBe(before);
  };

  beforeAll(async () => {
    server = await startServer(
      testConfig({ MONGODB_URI: testMongoUri('voice-messages'), ADMIN_PASSWORD: 'admin-pass-123' }),
      silentLogger,
    );
    admin = agent(server.url, 'admin', 'admin-pass-123');
    atAgent = collect(admin);
    await admin.start();
    await online(admin);
    vera = customer(server.url, 'vera');
    vera.on('error', (e) => veraErrors.push(e));
    walt = customer(server.url, 'walt');
    await Promise.all([vera.start(), walt.start()]);
    await Promise.all([online(vera), online(walt)]);
    veraConversation = (await vera.open({ channel: 'miniprogram' })).id ?? '';
    waltConversation = (await walt.open({ channel: 'miniprogram' })).id ?? '';
  });
  afterAll(async () => {
    await Promise.all([vera.stop(), walt.stop(), admin.stop()]);
    await server.stop();
  });

  it("stores the upload's URL, duration, type and size, whatever the client claimed", async () => {
    const up = await upload(vera, veraConversation, await voiceClip('adts-aac', 2), 'voice');
    expect(up.mime_type).toBe('audio/mpeg');
    await vera.send(veraConversation, {
      voice: {
        uploadId: up.upload_id,
        url: 'https://elsewhere.example.com/x.aac',
        durationMs: 59_000,
        mimeType: 'audio/aac',
        sizeBytes: 1,
      },
    });
    const got = await waitFor('the voice message at the agent', () =>
      atAgent.find((m) => !!m.content?.voice),
    );
    expect(got.content?.voice).toMatchObject({
      uploadId: up.upload_id,
      url: `/api/v1/uploads/${up.upload_id}`,
      durationMs: up.duration_ms,
      mimeType: 'audio/mpeg',
    });
    expect(Number(got.content?.voice?.sizeBytes)).toBe(up.size_bytes);
    expect(Math.abs((up.duration_ms ?? 0) - 2_000)).toBeLessThan(150);
  });

  it("refuses a voice message without an upload, with an image's upload or another conversation's", async () => {
    await expectRefused({ url: 'https://elsewhere.example.com/x.mp3', durationMs: 1_000 });
    await expectRefused({ uploadId: '01JZZZZZZZZZZZZZZZZZZZZZZZ', durationMs: 1_000 });
    const image = await upload(vera, veraConversation, await png(), 'image');
    await expectRefused({ uploadId: image.upload_id, url: image.url });
    const foreign = await upload(walt, waltConversation, await voiceClip('mp3', 1), 'voice');
    await expectRefused({ uploadId: foreign.upload_id, url: foreign.url });
  });
});
