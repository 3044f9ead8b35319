// Recording a voice clip: the microphone button starts it (a click: then 发送语音 or 取消; held down:
// released after half a second, it sends), a timer runs up to 60 s, where the clip is sent by itself.
// The microphone refused or missing is said in words.
import { VOICE_MAX_MS, VOICE_MIN_MS, fmt, formatDuration } from '@kefu/sdk-core';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat } from './chat.js';
import type { Strings } from './i18n.js';
import { RecordingError, startRecording, type Recording } from './recorder.js';

/** A press held at least this long is hold-to-talk: releasing it sends. */
const HOLD_MS = 500;

export interface VoiceRecorder {
  phase: 'idle' | 'starting' | 'recording';
  elapsedMs: number;
  /** What went wrong last (microphone refused, clip too short), in words. */
  error: string;
  /** Handlers for the microphone button. */
  button: {
    onPointerDown: () => void;
    onPointerUp: () => void;
    onClick: (e: MouseEvent) => void;
  };
  send: () => void;
  cancel: () => void;
}

export function useVoiceRecorder(chat: Chat, t: Strings): VoiceRecorder {
  const [phase, setPhase] = useState<VoiceRecorder['phase']>('idle');
  const [elapsedMs, setElapsed] = useState(0);
  const [error, setError] = useState('');
  const recording = useRef<Recording | undefined>(undefined);
  const timer = useRef<ReturnType<typeof setInterval> | undefined>(undefined);
  const pressedAt = useRef(0);

  const stopTimer = (): void => {
    clearInterval(timer.current);
    timer.current = undefined;
  };
  const send = (): void => {
    const r = recording.current;
    if (!r) return;
    recording.current = undefined;
    stopTimer();
    setPhase('idle');
    void r.stop().then(({ blob, durationMs }) => {
      if (durationMs < VOICE_MIN_MS) setError(t.voiceTooShort);
      else void chat.sendVoice(blob, durationMs);
    });
  };
  const cancel = (): void => {
    recording.current?.cancel();
    recording.current = undefined;
    stopTimer();
    setPhase('idle');
  };
  const start = async (): Promise<void> => {
    if (phase !== 'idle') return;
    setError('');
    setPhase('starting');
    try {
      recording.current = await startRecording();
    } catch (err) {
      const code = err instanceof RecordingError ? err.code : 'failed';
      setError(code === 'denied' ? t.micDenied : code === 'unsupported' ? t.micUnsupported : t.micFailed);
      setPhase('idle');
      return;
    }
    const since = Date.now();
    setElapsed(0);
    setPhase('recording');
    timer.current = setInterval(() => {
      const ms = Date.now() - since;
      setElapsed(ms);
      if (ms >= VOICE_MAX_MS) send();
    }, 200);
  };
  // The panel going away ends a recording (and frees the microphone).
  useEffect(() => cancel, []);

  return {
    phase,
    elapsedMs,
    error,
    button: {
      onPointerDown: () => {
        pressedAt.current = Date.now();
        void start();
      },
      onPointerUp: () => {
        if (recording.current && Date.now() - pressedAt.current >= HOLD_MS) send();
      },
      onClick: (e) => {
        // Keyboard (Enter, Space): no pointer events came first.
        if (e.detail === 0) void start();
      },
    },
    send,
    cancel,
  };
}

/** Shown instead of the text input while recording. */
export function RecordingBar({ t, voice }: { t: Strings; voice: VoiceRecorder }): JSX.Element {
  return (
    <div
      class="kefu-recording"
      role="group"
      aria-label={t.recording}
      data-testid="recording"
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          voice.cancel();
        }
      }}
    >
      <span class="kefu-rec-dot" aria-hidden="true" />
      <span class="kefu-rec-text">
        {t.recording}{' '}
        <span role="timer" data-testid="voice-timer">
          {formatDuration(voice.elapsedMs)}
        </span>
        <small>{fmt(t.voiceLimit, { s: VOICE_MAX_MS / 1000 })}</small>
      </span>
      <button type="button" class="btn g" onClick={voice.cancel}>
        {t.cancel}
      </button>
      <button type="button" class="btn" onClick={voice.send} disabled={voice.phase !== 'recording'}>
        {t.stopAndSend}
      </button>
    </div>
  );
}
