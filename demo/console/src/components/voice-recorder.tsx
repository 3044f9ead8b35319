// The composer's voice button: click to record, click "stop" to send (or cancel), a running timer, and
// an automatic stop at 60 s. Microphone problems are said in words (denied, missing, unsupported).
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import {
  MAX_VOICE_MS,
  MIN_VOICE_MS,
  RecorderError,
  VoiceRecorder,
  type RecorderProblem,
} from '../recorder.js';

const PROBLEMS = {
  unsupported: 'micUnsupported',
  denied: 'micDenied',
  missing: 'micMissing',
  failed: 'micUnsupported',
} as const satisfies Record<RecorderProblem, string>;

/** 0:05 */
const clock = (ms: number): string => {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60))}:${String(s % 60).padStart(2, '0')}`;
};

export function VoiceButton({
  t,
  disabled,
  onClip,
}: {
  t: Translate;
  disabled: boolean;
  onClip: (clip: Blob, ms: number) => void;
}): JSX.Element {
  const recorder = useRef<VoiceRecorder | undefined>(undefined);
  const [elapsed, setElapsed] = useState<number>();
  const [message, setMessage] = useState<string>();
  const recording = elapsed !== undefined;

  const stop = async (): Promise<void> => {
    const r = recorder.current;
    recorder.current = undefined;
    setElapsed(undefined);
    if (!r) return;
    const { clip, ms } = await r.stop();
    if (ms < MIN_VOICE_MS || clip.size === 0) setMessage(t('recordTooShort'));
    else onClip(clip, ms);
  };
  const cancel = (): void => {
    recorder.current?.cancel();
    recorder.current = undefined;
    setElapsed(undefined);
  };
  const start = async (): Promise<void> => {
    setMessage(undefined);
    const r = new VoiceRecorder();
    try {
      await r.start();
    } catch (err) {
      setMessage(t(PROBLEMS[err instanceof RecorderError ? err.problem : 'failed']));
      return;
    }
    recorder.current = r;
    setElapsed(0);
  };

  // The timer, and the stop at the server's limit.
  useEffect(() => {
    if (!recording) return;
    const timer = setInterval(() => {
      const ms = recorder.current?.elapsed() ?? 0;
      if (ms >= MAX_VOICE_MS) void stop();
      else setElapsed(ms);
    }, 200);
    return () => {
      clearInterval(timer);
    };
  }, [recording]);
  // Leaving the conversation (or the page) mid-recording drops the clip and frees the microphone.
  useEffect(() => cancel, []);

  if (recording)
    return (
      <span class="recording" role="status">
        <span class="rec-dot" aria-hidden="true" /> {t('recording', { t: clock(elapsed) })}{' '}
        <span class="muted">{t('recordMax')}</span>{' '}
        <button type="button" class="primary small" onClick={() => void stop()}>
          {t('recordStop')}
        </button>{' '}
        <button type="button" class="small" onClick={cancel}>
          {t('recordCancel')}
        </button>
      </span>
    );
  return (
    <>
      <button
        type="button"
        class="voice-button"
        aria-label={t('record')}
        title={t('record')}
        disabled={disabled}
        onClick={() => void start()}
      >
        🎤
      </button>
      {message ? (
        <span class="error voice-problem" role="alert">
          {message}
        </span>
      ) : null}
    </>
  );
}
