import { describe, expect, it } from 'vitest';
import {
  HttpError,
  formatDuration,
  httpError,
  isRetryable,
  pickVoiceMimeType,
  uploadErrorCode,
  voiceErrorCode,
} from '../src/index.js';

describe('upload refusals', () => {
  it("turns the server's error codes into what customers are told, never its English message", () => {
    const refusal = (status: number, code: string, details?: unknown) =>
      uploadErrorCode(httpError(status, { error: { code, message: 'English text', details } }));
    expect(refusal(415, 'unsupported_media_type', { detected: 'exe' })).toBe('unsupported_type');
    expect(refusal(413, 'payload_too_large')).toBe('too_large');
    expect(refusal(400, 'bad_request', { reason: 'too_short' })).toBe('too_short');
    expect(refusal(400, 'bad_request', { reason: 'too_long', max_seconds: 60 })).toBe('too_long');
    expect(refusal(400, 'bad_request', { reason: 'no_audio' })).toBe('damaged');
    expect(refusal(503, 'unavailable', { reason: 'voice_unavailable' })).toBe('unavailable');
    expect(refusal(500, 'internal')).toBe('failed');
    expect(uploadErrorCode(new HttpError(413, 'HTTP 413'))).toBe('too_large');
    expect(uploadErrorCode(new Error('network error'))).toBe('network');
  });

  it('offers a retry only where trying again may help', () => {
    expect(isRetryable('network')).toBe(true);
    expect(isRetryable('unavailable')).toBe(true);
    expect(isRetryable('unsupported_type')).toBe(false);
    expect(isRetryable('too_large')).toBe(false);
  });
});

describe('voice recording', () => {
  it('asks for Opus in WebM first, else AAC in MP4', () => {
    expect(pickVoiceMimeType((t) => t.startsWith('audio/webm'))).toBe('audio/webm;codecs=opus');
    expect(pickVoiceMimeType((t) => t === 'audio/mp4')).toBe('audio/mp4');
    expect(
      pickVoiceMimeType(() => {
        throw new Error('no recorder');
      }),
    ).toBeUndefined();
  });

  it('formats the timer and classifies failures to start', () => {
    expect(formatDuration(7_400)).toBe('0:07');
    expect(formatDuration(60_000)).toBe('1:00');
    expect(voiceErrorCode({ name: 'NotAllowedError' })).toBe('denied');
    expect(voiceErrorCode({ name: 'NotFoundError' })).toBe('unsupported');
    expect(voiceErrorCode(new Error('boom'))).toBe('failed');
  });
});
