// What <kefu-chat> calls on `wx` beyond the SDK's network and storage (fake-platform.ts), stood in from
// WeChat's documented contracts because its runtime cannot run here. Files are real: chooseMedia hands out
// real image files, the recorder real AAC clips, and uploadFile sends them to the real server.
//
// - wx.chooseMedia: success({tempFiles: [{tempFilePath, size, fileType}], type}); a closed picker calls
//   fail({errMsg: 'chooseMedia:fail cancel'}).
// - wx.getRecorderManager(): one manager per mini-program; start(options), stop(); onStart, onStop
//   ({tempFilePath, duration (ms), fileSize}), onError({errMsg}) each set one listener.
// - wx.createInnerAudioContext(): {src, play(), stop(), destroy(), onEnded, onError, onPlay, onStop}.
// - wx.previewImage({urls, current}), wx.showToast({title, icon}).
// - The action sheet, modal, file picker, downloads and documents: fake-wx-ui.ts.
// - wx.uploadFile: multipart/form-data with the file under `name`; the task's onProgressUpdate reports
//   {progress (0–100), totalBytesSent, totalBytesExpectedToSend} while the body is sent (fake-platform.ts
//   reports only 0 and 100; the component shows the steps between).
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { InnerAudioContextLike, MiniProgramApi, RecorderManagerLike } from '../src/api.js';
import { createFakePlatform, type FakePlatform } from './fake-platform.js';
import { createWxUi, type WxUi } from './fake-wx-ui.js';

export interface FakeAudio extends InnerAudioContextLike {
  played: string[];
  stopped: number;
  destroyed: boolean;
  /** Plays to the end (fires onEnded). */
  finish(): void;
}

export interface FakeRecorder extends RecorderManagerLike {
  starts: Parameters<RecorderManagerLike['start']>[0][];
  /** What the next stop() reports: a recorded file and its duration. */
  next: { file: string; durationMs: number } | undefined;
}

export interface ComponentPlatform extends FakePlatform, WxUi {
  /** Files the next chooseMedia calls pick (empty: the customer closes the picker). */
  media: string[];
  chooseCalls: { sourceType: string[]; mediaType: string[] }[];
  recorder: FakeRecorder;
  audios: FakeAudio[];
  previews: { urls: string[]; current?: string }[];
  toasts: string[];
  /** Every progress event uploadFile reported (0–100). */
  uploadProgress: number[];
  /** The next N uploadFile calls fail as a dropped network does. */
  failUploads: number;
  /** The formData of every uploadFile call. */
  uploadForms: Record<string, string>[];
}

function fakeRecorder(): FakeRecorder {
  let onStart: (() => void) | undefined;
  let onStop: Parameters<RecorderManagerLike['onStop']>[0] | undefined;
  let onError: Parameters<RecorderManagerLike['onError']>[0] | undefined;
  let recording = false;
  const recorder: FakeRecorder = {
    starts: [],
    next: undefined,
    start(options) {
      recorder.starts.push(options);
      recording = true;
      setTimeout(() => onStart?.(), 0);
    },
    stop() {
      if (!recording) {
        onError?.({ errMsg: 'operateRecorder:fail recorder not start' });
        return;
      }
      recording = false;
      const clip = recorder.next;
      setTimeout(() => {
        if (!clip) onStop?.({ tempFilePath: '', duration: 0, fileSize: 0 });
        else
          onStop?.({
            tempFilePath: clip.file,
            duration: clip.durationMs,
            fileSize: statSync(clip.file).size,
          });
      }, 0);
    },
    onStart: (fn) => {
      onStart = fn;
    },
    onStop: (fn) => {
      onStop = fn;
    },
    onError: (fn) => {
      onError = fn;
    },
  };
  return recorder;
}

function fakeAudio(): FakeAudio {
  let ended: (() => void) | undefined;
  const audio: FakeAudio = {
    src: '',
    played: [],
    stopped: 0,
    destroyed: false,
    play() {
      if (audio.destroyed) throw new Error('InnerAudioContext is destroyed');
      audio.played.push(audio.src);
    },
    stop() {
      audio.stopped += 1;
    },
    destroy() {
      audio.destroyed = true;
    },
    onEnded: (fn) => {
      ended = fn;
    },
    onError: () => undefined,
    finish: () => ended?.(),
  };
  return audio;
}

/** A multipart/form-data body built by hand, so it can be streamed in slices (progress as it goes). */
function multipart(
  field: string,
  file: string,
  extra: Record<string, string>,
): { body: Buffer; type: string } {
  const boundary = `----kefu${String(Date.now())}${String(Math.random()).slice(2)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(extra))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${basename(file)}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    readFileSync(file),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  );
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

export function createComponentPlatform(): ComponentPlatform {
  const base = createFakePlatform('wx');
  const recorder = fakeRecorder();
  const wx: ComponentPlatform = Object.assign(base, createWxUi(), {
    failUploads: 0,
    uploadForms: [] as Record<string, string>[],
    media: [] as string[],
    chooseCalls: [] as ComponentPlatform['chooseCalls'],
    recorder,
    audios: [] as FakeAudio[],
    previews: [] as ComponentPlatform['previews'],
    toasts: [] as string[],
    uploadProgress: [] as number[],
    chooseMedia(options: {
      mediaType: string[];
      sourceType: string[];
      success?: (r: {
        tempFiles: { tempFilePath: string; size: number; fileType: string }[];
        type: string;
      }) => void;
      fail?: (e: { errMsg: string }) => void;
    }) {
      wx.chooseCalls.push({ sourceType: options.sourceType, mediaType: options.mediaType });
      const file = wx.media.shift();
      setTimeout(() => {
        if (!file) options.fail?.({ errMsg: 'chooseMedia:fail cancel' });
        else
          options.success?.({
            tempFiles: [{ tempFilePath: file, size: statSync(file).size, fileType: 'image' }],
            type: 'image',
          });
      }, 0);
    },
    getRecorderManager: () => recorder,
    createInnerAudioContext: () => {
      const audio = fakeAudio();
      wx.audios.push(audio);
      return audio;
    },
    previewImage: (options: { urls: string[]; current?: string }) => {
      wx.previews.push(options);
    },
    showToast: (options: { title: string }) => {
      wx.toasts.push(options.title);
    },
    uploadFile(options: Parameters<MiniProgramApi['uploadFile']>[0]) {
      type Progress = { progress: number; totalBytesSent: number; totalBytesExpectedToSend: number };
      const listeners: ((p: Progress) => void)[] = [];
      const task = {
        onProgressUpdate: (fn: (p: Progress) => void) => {
          listeners.push(fn);
        },
        abort: () => undefined,
      };
      wx.uploadForms.push(options.formData ?? {});
      if (wx.failUploads > 0) {
        wx.failUploads -= 1;
        setTimeout(() => {
          options.fail?.({ errMsg: 'uploadFile:fail net::ERR_INTERNET_DISCONNECTED' });
          options.complete?.();
        }, 0);
        return task;
      }
      const { body, type } = multipart(options.name, options.filePath, options.formData ?? {});
      const total = body.length;
      const report = (sent: number): void => {
        const p = {
          progress: Math.round((sent / total) * 100),
          totalBytesSent: sent,
          totalBytesExpectedToSend: total,
        };
        wx.uploadProgress.push(p.progress);
        for (const fn of listeners) fn(p);
      };
      // The body goes out in quarters, each reported when fetch pulls it, a network's moment apart.
      const slice = Math.ceil(total / 4);
      let sent = 0;
      const stream = new ReadableStream<Uint8Array>({
        async pull(controller) {
          if (sent >= total) {
            controller.close();
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, 20));
          const chunk = body.subarray(sent, sent + slice);
          sent += chunk.length;
          controller.enqueue(new Uint8Array(chunk));
          report(sent);
        },
      });
      setTimeout(() => {
        fetch(options.url, {
          method: 'POST',
          headers: { ...options.header, 'content-type': type, 'content-length': String(total) },
          body: stream,
          duplex: 'half',
        })
          .then(async (res) => {
            options.success?.({ statusCode: res.status, data: await res.text() });
          })
          .catch((e: unknown) => {
            options.fail?.({ errMsg: `uploadFile:fail ${e instanceof Error ? e.message : String(e)}` });
          })
          .finally(() => options.complete?.());
      }, 0);
      return task;
    },
  });
  return wx;
}
