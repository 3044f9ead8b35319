// Voice clips as customer UIs record them: limits, the recorder formats to ask for, and the timer text.
// The server converts every clip to MP3 and measures it (server/README.md "Voice clips").

/** Longest clip a UI records (the server's default UPLOAD_VOICE_MAX_SECONDS). */
export const VOICE_MAX_MS = 60_000;
/** Shorter recordings are dropped with "说话时间太短" (a tap, not speech). */
export const VOICE_MIN_MS = 1_000;

/**
 * Recorder formats in order of preference: Opus in WebM (Chromium, Firefox) or Ogg, else AAC in MP4
 * (Safari). The server accepts each of them.
 */
export const VOICE_MIME_TYPES = [
  'audio/webm;codecs=opus',
  'audio/ogg;codecs=opus',
  'audio/webm',
  'audio/mp4;codecs=mp4a.40.2',
  'audio/mp4',
  'audio/aac',
] as const;

/** The first supported format (e.g. `MediaRecorder.isTypeSupported`), or undefined when none is. */
export function pickVoiceMimeType(isSupported: (type: string) => boolean): string | undefined {
  return VOICE_MIME_TYPES.find((type) => {
    try {
      return isSupported(type);
    } catch {
      return false;
    }
  });
}

/** "0:07", "1:00". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60))}:${String(s % 60).padStart(2, '0')}`;
}

/** Why recording could not start: the permission refused, no recorder or microphone, or anything else. */
export type VoiceErrorCode = 'denied' | 'unsupported' | 'failed';

/** Classifies a getUserMedia / recorder failure by its DOMException name (platform-free). */
export function voiceErrorCode(err: unknown): VoiceErrorCode {
  const name = (err as { name?: unknown } | null | undefined)?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError')
    return 'denied';
  if (name === 'NotFoundError' || name === 'NotSupportedError' || name === 'DevicesNotFoundError')
    return 'unsupported';
  return 'failed';
}
