import { chmod, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/errors.js';
import { VoiceProcessor } from '../../src/service/uploads/voice-processing.js';
import { silentLogger } from '../helpers.js';
import { damagedClip, voiceClip } from './voice-fixtures.js';

const reasonOf = (err: unknown): unknown =>
  err instanceof AppError ? (err.details as { reason?: string }).reason : err;

describe('VoiceProcessor', () => {
  let dir: string;
  let work: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kefu-voice-processor-'));
    work = join(dir, 'work');
    await mkdir(work);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const processor = (overrides: Partial<ConstructorParameters<typeof VoiceProcessor>[0]> = {}) =>
    new VoiceProcessor(
      { maxSeconds: 5, ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', tempDir: work, ...overrides },
      silentLogger,
    );

  it('leaves no temporary files behind, converted or refused, several at a time', async () => {
    const voice = processor();
    const good = await voiceClip('m4a-aac', 2);
    const results = await Promise.allSettled([
      voice.convert(good, 'm4a'),
      voice.convert(good, 'm4a'),
      voice.convert(good, 'm4a'),
      voice.convert(damagedClip(good, 32), 'm4a'),
      voice.convert(await voiceClip('webm-opus', 7), 'webm'),
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? 'ok' : reasonOf(r.reason)))).toEqual([
      'ok',
      'ok',
      'ok',
      'damaged',
      'too_long',
    ]);
    expect(await readdir(work)).toEqual([]);
  });

  it('refuses a detected type it has no reader for', async () => {
    await expect(processor().convert(Buffer.from('x'), 'flac')).rejects.toMatchObject({
      details: { reason: 'damaged' },
    });
  });

  it('reports ffmpeg without the MP3 encoder, or missing ffprobe, as unavailable', async () => {
    // A stand-in "ffmpeg" that runs but lists no encoders (a minimal custom build).
    const fake = join(dir, 'ffmpeg-without-lame');
    await writeFile(fake, '#!/bin/sh\necho " A..... aac  AAC"\n');
    await chmod(fake, 0o755);
    expect(await processor({ ffmpegPath: fake }).check()).toMatch(/no libmp3lame/);
    expect(await processor({ ffprobePath: join(dir, 'none') }).check()).toMatch(/ENOENT/);
    await expect(
      processor({ ffmpegPath: fake }).convert(await voiceClip('mp3', 1), 'mp3'),
    ).rejects.toMatchObject({ code: 'unavailable', details: { reason: 'voice_unavailable' } });
    expect(await processor().check()).toBeUndefined();
  });
});
