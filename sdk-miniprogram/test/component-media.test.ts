// <kefu-chat> sending and showing media against the real server: images from the album and the camera
// (upload progress, signed URLs, preview), failed uploads (the reason, retry or remove), voice messages
// (hold to talk, slide to cancel, playback with one InnerAudioContext). Files: component-files.test.ts.
// Setup: component-harness.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attr, waitFor, useComponentEnv } from './component-harness.js';
import { signed } from './fixtures.js';

describe('<kefu-chat> media', () => {
  const env = useComponentEnv('miniprogram-media');

  it('sends images from the album and the camera with upload progress, shows them from signed URLs', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_media') });
    await env.ready(m);
    m.wx.media.push(env.png);
    m.tap('.kc-more-toggle');
    await waitFor('the more panel', () => (m.all('.kc-album').length ? true : undefined));
    m.tap('.kc-album');
    const image = await env.agentGot(
      'the image',
      (x) => x.sender?.uid === 'u_mp_media' && !!x.content?.image,
    );
    env.conversations.push(image.conversationId ?? '');
    expect(m.wx.chooseCalls[0]).toEqual({ sourceType: ['album'], mediaType: ['image'] });
    expect(image.content?.image).toMatchObject({ width: 64, height: 48, mimeType: 'image/png' });
    expect(image.content?.image?.uploadId).toMatch(/^[0-9A-Z]{26}$/);
    // Progress reached the screen between 0 and 100 %.
    const shown = m.patches.flatMap((p) =>
      [...JSON.stringify(p).matchAll(/上传中 (\d+)%/g)].map((x) => Number(x[1])),
    );
    expect(shown.some((p) => p > 0 && p < 100)).toBe(true);
    expect(m.wx.uploadProgress.at(-1)).toBe(100);
    // Shown from a signed thumbnail URL that loads without the bearer token.
    const img = await waitFor('the image shown', () =>
      m.comp.querySelectorAll('.kc-mine .kc-image').find((n) => attr(n, 'src').startsWith('http')),
    );
    const thumb = await fetch(attr(img, 'src'));
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('content-type')).toMatch(/^image\//);
    // A tap previews the full image.
    img.dispatchEvent('tap');
    const preview = await waitFor('previewImage', () => m.wx.previews[0]);
    expect((await fetch(preview.urls[0] ?? '')).status).toBe(200);

    m.wx.media.push(env.png);
    m.tap('.kc-more-toggle');
    await waitFor('the more panel', () => (m.all('.kc-camera').length ? true : undefined));
    m.tap('.kc-camera');
    await waitFor('the camera image at the agent', () =>
      env.atAgent.filter((x) => x.sender?.uid === 'u_mp_media' && x.content?.image).length === 2
        ? true
        : undefined,
    );
    expect(m.wx.chooseCalls[1]?.sourceType).toEqual(['camera']);
  });

  it('says why an upload failed: a refused file can only be removed, a dropped network is retried', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_media') });
    await env.ready(m);
    const album = async (): Promise<void> => {
      m.tap('.kc-more-toggle');
      await waitFor('the more panel', () => (m.all('.kc-album').length ? true : undefined));
      m.tap('.kc-album');
    };
    // Not an image: the server refuses it for good, so no retry; the customer removes it.
    const notImage = join(env.work, 'not-an-image.png');
    writeFileSync(notImage, 'this is text, not a PNG');
    m.wx.media.push(notImage);
    await album();
    await waitFor('the refusal', () => (m.all('.kc-failed').length ? true : undefined));
    expect(m.text('.kc-failed')).toMatch(/^(不支持的文件类型|文件已损坏，无法发送) 移除$/);
    expect(m.all('.kc-retry')).toEqual([]);
    expect(m.event<{ code: string }>('error').map((e) => e.code)).toContain('upload_failed');
    m.tap('.kc-remove');
    await waitFor('removed', () => (m.all('.kc-failed').length === 0 ? true : undefined));

    // The network drops during the upload: retry, and it goes.
    const images = () => env.atAgent.filter((x) => x.sender?.uid === 'u_mp_media' && x.content?.image).length;
    const before = images();
    m.wx.failUploads = 1;
    m.wx.media.push(env.png);
    await album();
    await env.shows(m, '网络异常，请重试', '.kc-failed');
    expect(m.all('.kc-retry')).toEqual([' 重试']);
    m.tap('.kc-retry');
    await waitFor('the image at the agent', () => (images() === before + 1 ? true : undefined));
    await waitFor('no failure left', () => (m.all('.kc-failed').length === 0 ? true : undefined));
  });

  it('records a voice message (hold to talk) and sends it; plays the agent’s voice message', async () => {
    const m = env.mount({ server: env.server.url, identity: signed('mp_voice') });
    await env.ready(m);
    m.tap('.kc-mode');
    await waitFor('hold-to-talk', () => (m.all('.kc-hold').length ? true : undefined));
    const hold = () => m.comp.querySelector('.kc-hold');
    // Held for two seconds: WeChat's recorder writes an AAC file.
    m.wx.recorder.next = { file: env.aac, durationMs: 2000 };
    hold()?.dispatchEvent('touchstart', { touches: [{ x: 200, y: 1200 }] });
    await env.shows(m, '手指上滑，取消发送', '.kc-recording');
    expect(m.wx.recorder.starts[0]).toMatchObject({ format: 'aac', duration: 60_000 });
    hold()?.dispatchEvent('touchend', { changedTouches: [{ x: 200, y: 1200 }] });
    const voice = await env.agentGot(
      'the voice message',
      (x) => x.sender?.uid === 'u_mp_voice' && !!x.content?.voice,
    );
    const conversationId = voice.conversationId ?? '';
    env.conversations.push(conversationId);
    expect(voice.content?.voice?.uploadId).toMatch(/^[0-9A-Z]{26}$/);
    expect(voice.content?.voice?.durationMs).toBeGreaterThan(1500);
    expect(voice.content?.voice?.durationMs).toBeLessThan(2600);
    await env.shows(m, '2″', '.kc-mine .kc-voice');

    // Too short: not sent, the customer is told.
    m.wx.recorder.next = { file: env.aac, durationMs: 400 };
    hold()?.dispatchEvent('touchstart', { touches: [{ x: 200, y: 1200 }] });
    await env.shows(m, '手指上滑', '.kc-recording');
    hold()?.dispatchEvent('touchend', { changedTouches: [{ x: 200, y: 1200 }] });
    await waitFor('too short', () => m.wx.toasts.find((t) => t === '说话时间太短'));
    // Slid up: cancelled, not sent.
    m.wx.recorder.next = { file: env.aac, durationMs: 3000 };
    hold()?.dispatchEvent('touchstart', { touches: [{ x: 200, y: 1200 }] });
    await env.shows(m, '手指上滑', '.kc-recording');
    hold()?.dispatchEvent('touchmove', { touches: [{ x: 200, y: 1000 }] });
    await env.shows(m, '松开手指，取消发送', '.kc-recording');
    hold()?.dispatchEvent('touchend', { changedTouches: [{ x: 200, y: 1000 }] });
    await waitFor('overlay gone', () => (m.all('.kc-recording').length === 0 ? true : undefined));
    await new Promise((r) => setTimeout(r, 1_000));
    expect(env.atAgent.filter((x) => x.sender?.uid === 'u_mp_voice' && x.content?.voice)).toHaveLength(1);

    // The agent's clip: a tap plays it from a signed URL; one clip at a time.
    const { token } = await env.admin.sessions.current();
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(readFileSync(env.aac))]), 'reply.aac');
    const res = await fetch(`${env.server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=voice`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
    expect(res.status).toBe(201);
    const clip = (await res.json()) as { upload_id: string; url: string; duration_ms?: number };
    await env.admin.send(conversationId, {
      voice: { uploadId: clip.upload_id, url: clip.url, durationMs: clip.duration_ms ?? 2000 },
    });
    await waitFor('the agent’s voice shown', () => (m.all('.kc-theirs .kc-voice').length ? true : undefined));
    m.tap('.kc-theirs .kc-voice');
    const audio = await waitFor('InnerAudioContext playing', () =>
      m.wx.audios[0]?.played.length ? m.wx.audios[0] : undefined,
    );
    const played = await fetch(audio.played[0] ?? '');
    expect(played.status).toBe(200);
    expect(played.headers.get('content-type')).toMatch(/^audio\//);
    await waitFor('shown as playing', () => (m.all('.kc-theirs .kc-playing').length ? true : undefined));
    // Another clip stops the first.
    m.tap('.kc-mine .kc-voice');
    await waitFor('the second clip plays', () => (audio.played.length === 2 ? true : undefined));
    expect(audio.stopped).toBeGreaterThan(0);
    expect(m.wx.audios).toHaveLength(1);
    audio.finish();
    await waitFor('no clip playing', () => (m.all('.kc-playing').length === 0 ? true : undefined));
    m.comp.detach();
    expect(audio.destroyed).toBe(true);
  });
});
