import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { startServer } from '../../src/server.js';
import { uploadModel } from '../../src/model/upload.js';
import { silentLogger, testConfig } from '../helpers.js';
import { PDF, customerToken, openConversation, png, wav } from './fixtures.js';
import { damagedClip, probeAudio, silentVideo, voiceClip, type ClipFormat } from './voice-fixtures.js';

interface UploadBody {
  upload_id: string;
  kind: string;
  url: string;
  signed_url: string;
  duration_ms?: number;
  size_bytes: number;
  mime_type: string;
  name: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string; max_seconds?: number } };
}

const MAX_SECONDS = 10;

/** One server with its upload helpers: counts of stored records and blobs tell that nothing stayed. */
async function uploadServer(label: string, env: Record<string, string> = {}, logger = silentLogger) {
  const dir = await mkdtemp(join(tmpdir(), 'kefu-voice-uploads-'));
  const server = await startServer(
    testConfig({
      MONGODB_URI: testMongoUri(label),
      UPLOAD_STORE: 'disk',
      UPLOAD_DIR: dir,
      UPLOAD_MAX_VOICE_BYTES: String(512 * 1024),
      UPLOAD_VOICE_MAX_SECONDS: String(MAX_SECONDS),
      ...env,
    }),
    logger,
  );
  const token = await customerToken(server, 'vivian');
  const conversationId = await openConversation(server, 'u_vivian');
  const upload = (data: Buffer, kind = 'voice', name = 'rec.aac') => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(data)]), name);
    return fetch(`${server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=${kind}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: form,
    });
  };
  const stored = async () => ({
    records: await uploadModel(server.db).countDocuments(),
    blobs: (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).length,
  });
  const expectRefused = async (res: Response, status: number, reason: string) => {
    const before = await stored();
    const body = (await res.json()) as ErrorBody;
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(body.error.message).toBeTruthy();
    expect(body.error.details?.reason).toBe(reason);
    expect(await stored()).toEqual(before);
    return body;
  };
  const download = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const stop = async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
  return { server, upload, stored, expectRefused, download, stop };
}

describe('voice uploads (ffmpeg)', () => {
  let t: Awaited<ReturnType<typeof uploadServer>>;
  beforeAll(async () => {
    t = await uploadServer('voice_uploads');
  });
  afterAll(async () => {
    await t.stop();
  });

  it.each<[ClipFormat, string]>([
    ['adts-aac', 'rec.aac'],
    ['m4a-aac', 'rec.m4a'],
    ['mp4-aac', 'rec.mp4'],
    ['mp3', 'rec.mp3'],
    ['wav', 'rec.wav'],
    ['amr-nb', 'rec.amr'],
    ['ogg-opus', 'rec.ogg'],
    ['webm-opus', 'rec.webm'],
  ])('converts %s to mono 32 kbit/s MP3 and measures it', async (format, name) => {
    const res = await t.upload(await voiceClip(format, 3), 'voice', name);
    const body = (await res.json()) as UploadBody;
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body).toMatchObject({ kind: 'voice', mime_type: 'audio/mpeg', name: 'rec.mp3' });
    expect(body.duration_ms).toBeGreaterThan(2_900);
    expect(body.duration_ms).toBeLessThan(3_150);

    const { res: served, bytes } = await t.download(body.url);
    expect(served.headers.get('content-type')).toBe('audio/mpeg');
    expect(bytes.length).toBe(body.size_bytes);
    const audio = await probeAudio(bytes);
    expect(audio).toMatchObject({
      formatName: 'mp3',
      codecName: 'mp3',
      channels: 1,
      sampleRate: 22_050,
      bitRate: 32_000,
    });
    expect(Math.abs(audio.duration * 1000 - (body.duration_ms ?? 0))).toBeLessThan(50);
    const record = await uploadModel(t.server.db).findById(body.upload_id).lean();
    expect(record?.duration_ms).toBe(body.duration_ms);
    expect(record?.mime_type).toBe('audio/mpeg');
  });

  it('drops the clip’s metadata (tags can carry names and places)', async () => {
    for (const format of ['mp3', 'm4a-aac', 'ogg-opus'] as const) {
      const clip = await voiceClip(format, 1, 'secret-owner-name');
      expect(clip.includes(Buffer.from('secret-owner-name'))).toBe(true);
      const body = (await (await t.upload(clip)).json()) as UploadBody;
      const { bytes } = await t.download(body.url);
      expect(bytes.includes(Buffer.from('secret-owner-name')), format).toBe(false);
      expect((await probeAudio(bytes)).tags, format).toEqual({});
    }
  });

  it('accepts a clip of exactly the maximum duration', async () => {
    const res = await t.upload(await voiceClip('adts-aac', MAX_SECONDS));
    const body = (await res.json()) as UploadBody;
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(Math.abs((body.duration_ms ?? 0) - MAX_SECONDS * 1000)).toBeLessThan(200);
  });

  it('refuses a clip longer than the maximum, declared or only found by decoding, and stores nothing', async () => {
    const declared = await t.expectRefused(
      await t.upload(await voiceClip('m4a-aac', MAX_SECONDS + 2)),
      400,
      'too_long',
    );
    expect(declared.error.details?.max_seconds).toBe(MAX_SECONDS);
    expect(declared.error.message).toBe(`The voice clip is longer than ${String(MAX_SECONDS)} seconds`);
    // MediaRecorder's WebM has no duration in its header: found while converting.
    await t.expectRefused(await t.upload(await voiceClip('webm-opus', MAX_SECONDS + 2)), 400, 'too_long');
    await t.expectRefused(await t.upload(await voiceClip('adts-aac', MAX_SECONDS + 2)), 400, 'too_long');
  });

  it.each<[ClipFormat, number]>([
    ['adts-aac', 9],
    ['m4a-aac', 32],
    ['webm-opus', 40],
    ['amr-nb', 6],
    ['mp3', 4],
  ])('refuses undecodable bytes behind a valid %s header (400 damaged)', async (format, keep) => {
    const bytes = damagedClip(await voiceClip(format, 1), keep);
    const body = await t.expectRefused(await t.upload(bytes), 400, 'damaged');
    expect(body.error.message).toBe('The voice clip is damaged or cannot be decoded');
  });

  it('refuses audio of zero or next to no length, and a file without audio', async () => {
    await t.expectRefused(await t.upload(wav(0), 'voice', 'empty.wav'), 400, 'too_short');
    await t.expectRefused(await t.upload(wav(40), 'voice', 'tap.wav'), 400, 'too_short');
    await t.expectRefused(await t.upload(await silentVideo(), 'voice', 'screen.mp4'), 400, 'no_audio');
  });

  it('refuses other kinds of file as voice, and voice as an image (415)', async () => {
    await t.expectRefused(await t.upload(await png(), 'voice', 'a.mp3'), 415, 'type_not_allowed');
    await t.expectRefused(await t.upload(PDF, 'voice', 'a.aac'), 415, 'type_not_allowed');
    // WeChat's `PCM` recording has no header at all: record `aac` or `mp3` instead.
    await t.expectRefused(await t.upload(Buffer.alloc(8000, 3), 'voice', 'rec.pcm'), 415, 'type_not_allowed');
    await t.expectRefused(
      await t.upload(await voiceClip('mp3', 1), 'image', 'a.jpg'),
      415,
      'type_not_allowed',
    );
  });

  it('refuses a clip over UPLOAD_MAX_VOICE_BYTES (413) before converting it', async () => {
    await t.expectRefused(await t.upload(wav(300_000), 'voice', 'long.wav'), 413, 'too_large');
  });
});

describe('voice uploads without ffmpeg', () => {
  const lines: string[] = [];
  let t: Awaited<ReturnType<typeof uploadServer>>;
  beforeAll(async () => {
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    t = await uploadServer('voice_no_ffmpeg', { FFMPEG_PATH: '/nonexistent/bin/ffmpeg' }, logger);
  });
  afterAll(async () => {
    await t.stop();
  });

  it('starts, warns once, refuses voice clips with 503 voice_unavailable and still takes images', async () => {
    expect((await fetch(`${t.server.url}/readyz`)).status).toBe(200);
    const clip = await voiceClip('adts-aac', 1);
    for (let i = 0; i < 2; i++) {
      const body = await t.expectRefused(await t.upload(clip), 503, 'voice_unavailable');
      expect(body.error.code).toBe('unavailable');
    }
    const warnings = () =>
      lines
        .map((l) => JSON.parse(l) as { level: number; msg: string; ffmpeg?: string })
        .filter((l) => l.level === 40 && l.msg.startsWith('voice clips are refused'));
    await waitFor('the warning', () => warnings().length > 0);
    expect(warnings()).toHaveLength(1);
    expect(warnings()[0]?.ffmpeg).toBe('/nonexistent/bin/ffmpeg');
    expect((await t.upload(await png(), 'image', 'a.png')).status).toBe(201);
  });
});
