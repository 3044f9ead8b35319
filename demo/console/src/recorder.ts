// Voice clips from the microphone (MediaRecorder): Opus in WebM where the browser can (Chromium,
// Firefox), else what it offers (Safari: MP4/AAC). The server converts every clip to MP3 (server/README.md
// "Voice clips"), so the format only has to be one it decodes.

/** The server's limit (UPLOAD_VOICE_MAX_SECONDS, default 60): recording stops by itself there. */
export const MAX_VOICE_MS = 60_000;
/** Shorter clips are discarded: a click too many, not a message. */
export const MIN_VOICE_MS = 800;

const TYPES = ['audio/webm;codecs=opus', 'audio/ogg;codecs=opus', 'audio/webm', 'audio/mp4'];

/** Why recording could not start, each with its own message. */
export type RecorderProblem = 'unsupported' | 'denied' | 'missing' | 'failed';

export class RecorderError extends Error {
  constructor(readonly problem: RecorderProblem) {
    super(problem);
  }
}

export function recordingSupported(): boolean {
  // mediaDevices is missing outside secure contexts (http:// other than localhost).
  return typeof MediaRecorder !== 'undefined' && 'mediaDevices' in navigator;
}

/** The first container/codec the browser records, or '' to let it choose. */
export function pickMimeType(isSupported: (type: string) => boolean): string {
  return TYPES.find((type) => isSupported(type)) ?? '';
}

/** getUserMedia's refusals by DOMException name. */
export function problemOf(err: unknown): RecorderProblem {
  const name = err instanceof Error ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError')
    return 'missing';
  return 'failed';
}

/** One recording: start() asks for the microphone, stop() gives the clip, cancel() drops it. */
export class VoiceRecorder {
  private recorder: MediaRecorder | undefined;
  private stream: MediaStream | undefined;
  private chunks: Blob[] = [];
  private startedAt = 0;

  async start(): Promise<void> {
    if (!recordingSupported()) throw new RecorderError('unsupported');
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch (err) {
      throw new RecorderError(problemOf(err));
    }
    const mimeType = pickMimeType((type) => MediaRecorder.isTypeSupported(type));
    try {
      this.recorder = new MediaRecorder(this.stream, mimeType ? { mimeType } : {});
    } catch {
      this.release();
      throw new RecorderError('unsupported');
    }
    this.chunks = [];
    this.recorder.ondataavailable = (e) => {
      if (e.data.size > 0) this.chunks.push(e.data);
    };
    this.recorder.start(250);
    this.startedAt = Date.now();
  }

  /** How long it has been recording (ms). */
  elapsed(): number {
    return this.startedAt ? Date.now() - this.startedAt : 0;
  }

  /** Ends the recording: the clip and its length. */
  stop(): Promise<{ clip: Blob; ms: number }> {
    const recorder = this.recorder;
    const ms = Math.min(this.elapsed(), MAX_VOICE_MS);
    if (!recorder || recorder.state === 'inactive') {
      this.release();
      return Promise.resolve({ clip: new Blob([]), ms: 0 });
    }
    return new Promise((resolve) => {
      recorder.onstop = () => {
        const clip = new Blob(this.chunks, { type: recorder.mimeType || 'audio/webm' });
        this.release();
        resolve({ clip, ms });
      };
      recorder.stop();
    });
  }

  cancel(): void {
    if (this.recorder && this.recorder.state !== 'inactive') {
      this.recorder.onstop = null;
      this.recorder.stop();
    }
    this.release();
  }

  /** Turns the microphone off (the browser's recording indicator goes away). */
  private release(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = undefined;
    this.recorder = undefined;
    this.chunks = [];
    this.startedAt = 0;
  }
}
