// Voice clips with the browser's MediaRecorder: Opus in WebM (Chromium, Firefox) or AAC in MP4 (Safari),
// whichever the browser records (sdk-core's VOICE_MIME_TYPES). The server converts every clip to MP3.
import { pickVoiceMimeType, voiceErrorCode, type VoiceErrorCode } from '@kefu/sdk-core';

export interface Recording {
  /** Ends the clip: its bytes and how long it ran. */
  stop(): Promise<{ blob: Blob; durationMs: number }>;
  /** Ends it and throws it away. */
  cancel(): void;
}

/** Why recording did not start, for the customer (sdk-core's codes). */
export class RecordingError extends Error {
  constructor(readonly code: VoiceErrorCode) {
    super(`recording failed: ${code}`);
  }
}

export function canRecord(): boolean {
  // Both are missing on insecure (http:) pages and in older browsers, whatever the DOM types say.
  const devices = navigator.mediaDevices as MediaDevices | undefined;
  return typeof MediaRecorder === 'function' && typeof devices?.getUserMedia === 'function';
}

/** Asks for the microphone (the browser may prompt) and starts recording. */
export async function startRecording(): Promise<Recording> {
  if (!canRecord()) throw new RecordingError('unsupported');
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch (err) {
    throw new RecordingError(voiceErrorCode(err));
  }
  const release = (): void => {
    for (const track of stream.getTracks()) track.stop();
  };
  const mimeType = pickVoiceMimeType((t) => MediaRecorder.isTypeSupported(t));
  let recorder: MediaRecorder;
  try {
    recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
    recorder.start(250);
  } catch (err) {
    release();
    throw new RecordingError(voiceErrorCode(err));
  }
  const chunks: Blob[] = [];
  recorder.addEventListener('dataavailable', (e) => {
    if (e.data.size > 0) chunks.push(e.data);
  });
  const started = performance.now();
  const ended = new Promise<void>((resolve) => {
    recorder.addEventListener('stop', () => {
      resolve();
    });
  });
  return {
    async stop() {
      const durationMs = Math.round(performance.now() - started);
      if (recorder.state !== 'inactive') recorder.stop();
      await ended;
      release();
      return { blob: new Blob(chunks, { type: recorder.mimeType || mimeType || 'audio/webm' }), durationMs };
    },
    cancel() {
      if (recorder.state !== 'inactive') recorder.stop();
      release();
    },
  };
}
