import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('upload configuration', () => {
  it('defaults: disk with the embedded database, GridFS with MONGODB_URI, limits per kind', () => {
    const embedded = loadConfig({ DATA_DIR: '/var/kefu' }).uploads;
    expect(embedded).toMatchObject({
      store: 'disk',
      dir: '/var/kefu/uploads',
      maxBytes: { image: 10 * 1024 * 1024, voice: 5 * 1024 * 1024, file: 20 * 1024 * 1024 },
      imageMaxDimension: 4096,
      signedUrlTtlS: 86_400,
    });
    expect(embedded.fileTypes).toContain('pdf');
    expect(embedded.urlSecret.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ MONGODB_URI: 'mongodb://db:27017/kefu' }).uploads.store).toBe('gridfs');
    expect(loadConfig({ MONGODB_URI: 'mongodb://db:27017/kefu', UPLOAD_STORE: 'disk' }).uploads.store).toBe(
      'disk',
    );
  });

  it('voice clips: 60 s at most, ffmpeg and ffprobe from PATH unless told otherwise', () => {
    expect(loadConfig({}).uploads.voice).toEqual({
      maxSeconds: 60,
      ffmpegPath: 'ffmpeg',
      ffprobePath: 'ffprobe',
    });
    expect(
      loadConfig({
        UPLOAD_VOICE_MAX_SECONDS: '120',
        FFMPEG_PATH: '/opt/ffmpeg/bin/ffmpeg',
        FFPROBE_PATH: '/opt/ffmpeg/bin/ffprobe',
      }).uploads.voice,
    ).toEqual({
      maxSeconds: 120,
      ffmpegPath: '/opt/ffmpeg/bin/ffmpeg',
      ffprobePath: '/opt/ffmpeg/bin/ffprobe',
    });
  });

  it('takes an allow-list of file types', () => {
    expect(loadConfig({ UPLOAD_FILE_TYPES: 'pdf, TXT' }).uploads.fileTypes).toEqual(['pdf', 'txt']);
  });

  it('derives a different URL key per JWT_SECRET unless UPLOAD_URL_SECRET is set', () => {
    const a = loadConfig({ JWT_SECRET: 'a'.repeat(32) }).uploads.urlSecret;
    const b = loadConfig({ JWT_SECRET: 'b'.repeat(32) }).uploads.urlSecret;
    expect(a).not.toBe(b);
    expect(loadConfig({ UPLOAD_URL_SECRET: 'k'.repeat(32) }).uploads.urlSecret).toBe('k'.repeat(32));
  });

  it.each([
    ['UPLOAD_STORE', 's3'],
    ['UPLOAD_MAX_IMAGE_BYTES', '10'],
    ['UPLOAD_MAX_FILE_BYTES', 'lots'],
    ['UPLOAD_IMAGE_MAX_DIMENSION', '100000'],
    ['UPLOAD_FILE_TYPES', 'pdf,exe'],
    ['UPLOAD_FILE_TYPES', 'html'],
    ['UPLOAD_URL_SECRET', 'short'],
    ['UPLOAD_SIGNED_URL_TTL_S', '5'],
    ['UPLOAD_VOICE_MAX_SECONDS', '0'],
    ['UPLOAD_VOICE_MAX_SECONDS', '601'],
    ['UPLOAD_VOICE_MAX_SECONDS', 'a minute'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
