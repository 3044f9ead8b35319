// Media the agent sends: images (downscaled first), documents and voice clips, each uploaded with progress
// (POST /uploads?kind=image|file|voice) and then sent as its message. A refused upload stays in the
// composer with the reason in words (文件过大, 不支持的文件类型…) and a retry.
import { fileContent, imageContent, voiceContent, type UploadKind } from '@kefu/sdk-core';
import { downscaleImage } from '@kefu/sdk-web/agent';
import type { Workbench } from './workbench.js';

export interface Upload {
  id: string;
  conversationId: string;
  kind: UploadKind;
  file: Blob;
  name: string;
  /** 0…1 */
  progress: number;
  error?: unknown;
  /** Sent as an internal note / quoting this message, as the composer was when it started. */
  note: boolean;
  quote?: string | undefined;
  /** Voice clips: what the recorder measured (the server's measurement wins). */
  recordedMs?: number;
}

function setUploads(wb: Workbench, fn: (list: Upload[]) => Upload[]): void {
  wb.store.set({ uploads: fn(wb.state.uploads) });
}

function patch(wb: Workbench, id: string, change: Partial<Upload>): void {
  setUploads(wb, (list) => list.map((u) => (u.id === id ? { ...u, ...change } : u)));
}

async function run(wb: Workbench, u: Upload): Promise<void> {
  patch(wb, u.id, { error: undefined, progress: 0 });
  try {
    const body = u.kind === 'image' ? await downscaleImage(u.file, 1600) : u.file;
    const res = await wb.upload(u.conversationId, u.kind, body, u.name, (progress) => {
      patch(wb, u.id, { progress });
    });
    const content =
      u.kind === 'image'
        ? imageContent(res)
        : u.kind === 'voice'
          ? voiceContent(res, u.recordedMs)
          : fileContent(res, u.name);
    setUploads(wb, (list) => list.filter((x) => x.id !== u.id));
    await wb.send(u.conversationId, content, { internalNote: u.note, quoteMessageId: u.quote });
  } catch (error) {
    patch(wb, u.id, { error });
  }
}

function start(wb: Workbench, u: Omit<Upload, 'id' | 'progress' | 'note' | 'quote'>): void {
  const upload: Upload = {
    ...u,
    id: wb.client.newId(),
    progress: 0,
    note: wb.state.noteMode,
    quote: wb.state.quotes[u.conversationId],
  };
  // The quote goes with the first item sent after it was chosen.
  if (upload.quote) wb.setQuote(u.conversationId, undefined);
  setUploads(wb, (list) => [...list, upload]);
  void run(wb, upload);
}

/** Images go as images, anything else as a file (the server checks the type by its bytes). */
export function sendFiles(wb: Workbench, conversationId: string, files: Iterable<File>): void {
  for (const file of files) {
    const image = /^image\/(jpeg|png|gif|webp)$/.test(file.type);
    start(wb, {
      conversationId,
      kind: image ? 'image' : 'file',
      file,
      name: file.name || (image ? 'image.png' : 'file'),
    });
  }
}

export function sendVoice(wb: Workbench, conversationId: string, clip: Blob, recordedMs: number): void {
  const ext = clip.type.includes('ogg') ? 'ogg' : clip.type.includes('mp4') ? 'm4a' : 'webm';
  start(wb, { conversationId, kind: 'voice', file: clip, name: `voice.${ext}`, recordedMs });
}

export function retryUpload(wb: Workbench, u: Upload): void {
  void run(wb, u);
}

export function dismissUpload(wb: Workbench, id: string): void {
  setUploads(wb, (list) => list.filter((u) => u.id !== id));
}
