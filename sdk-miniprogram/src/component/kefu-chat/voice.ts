// Voice messages: hold-to-talk recording with WeChat's RecorderManager and playback with one
// InnerAudioContext per component (one clip at a time). Both take the platform's objects as arguments.
import type { InnerAudioContextLike, RecorderManagerLike } from '../../api.js';

/** Shorter is a tap on the button, not speech (WeChat's own threshold is 1 s). */
export const MIN_VOICE_MS = 1_000;
/** WeChat's recorder stops by itself at `duration`; the server accepts up to 60 s. */
export const MAX_VOICE_MS = 60_000;

export type RecordOutcome =
  | { kind: 'clip'; file: string; durationMs: number }
  | { kind: 'too_short' }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

/**
 * One recording at a time. WeChat's recorder manager is a single object per mini-program: its listeners
 * are registered once here and ignore stops this component did not start.
 */
export class VoiceRecorder {
  private active = false;
  private cancelled = false;
  private startedAt = 0;
  private listening = false;

  constructor(
    private readonly manager: RecorderManagerLike,
    private readonly done: (outcome: RecordOutcome) => void,
  ) {}

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.manager.onStop((res) => {
      if (!this.active) return;
      this.active = false;
      const durationMs = res.duration ?? Date.now() - this.startedAt;
      if (this.cancelled) this.done({ kind: 'cancelled' });
      else if (!res.tempFilePath || durationMs < MIN_VOICE_MS) this.done({ kind: 'too_short' });
      else
        this.done({ kind: 'clip', file: res.tempFilePath, durationMs: Math.min(durationMs, MAX_VOICE_MS) });
    });
    this.manager.onError((res) => {
      if (!this.active) return;
      this.active = false;
      this.done({ kind: 'error', message: res.errMsg ?? 'recorder error' });
    });
  }

  get recording(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.listen();
    this.active = true;
    this.cancelled = false;
    this.startedAt = Date.now();
    // AAC in an ADTS stream: what every WeChat version records and the server accepts (and converts).
    this.manager.start({
      duration: MAX_VOICE_MS,
      format: 'aac',
      sampleRate: 16_000,
      numberOfChannels: 1,
      encodeBitRate: 48_000,
    });
  }

  /** Stops and sends (or drops, when `cancel`). */
  stop(cancel = false): void {
    if (!this.active) return;
    this.cancelled = cancel;
    const startedAt = this.startedAt;
    this.manager.stop();
    // A stop right after start may come before the recorder started: it then never reports a stop.
    setTimeout(() => {
      if (!this.active || this.startedAt !== startedAt) return;
      this.active = false;
      this.done(cancel ? { kind: 'cancelled' } : { kind: 'too_short' });
    }, 3_000);
  }
}

/** Plays one clip at a time; `changed` reports which message key is playing ('' for none). */
export class VoicePlayer {
  private audio: InnerAudioContextLike | undefined;
  private current = '';

  constructor(
    private readonly create: () => InnerAudioContextLike,
    private readonly changed: (key: string) => void,
    private readonly failed: (message: string) => void,
  ) {}

  get playing(): string {
    return this.current;
  }

  private context(): InnerAudioContextLike {
    if (this.audio) return this.audio;
    const audio = this.create();
    audio.onEnded(() => {
      this.set('');
    });
    audio.onError((res) => {
      this.set('');
      this.failed(res.errMsg ?? 'audio error');
    });
    this.audio = audio;
    return audio;
  }

  private set(key: string): void {
    if (this.current === key) return;
    this.current = key;
    this.changed(key);
  }

  /** Plays the message's clip, or stops it when it is the one playing. */
  async toggle(key: string, url: () => Promise<string>): Promise<void> {
    if (this.current === key) {
      this.stop();
      return;
    }
    this.stop();
    this.set(key);
    let src: string;
    try {
      src = await url();
    } catch (err) {
      if (this.current === key) this.set('');
      this.failed(err instanceof Error ? err.message : String(err));
      return;
    }
    // Another clip was tapped meanwhile.
    if (this.current !== key) return;
    const audio = this.context();
    audio.src = src;
    audio.play();
  }

  stop(): void {
    if (!this.current) return;
    this.audio?.stop();
    this.set('');
  }

  destroy(): void {
    this.current = '';
    this.audio?.destroy();
    this.audio = undefined;
  }
}
