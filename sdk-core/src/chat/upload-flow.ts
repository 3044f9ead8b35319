// Sending a file: a pending item with progress (and a local preview for images), the upload over HTTP,
// then the message naming the upload. A failure keeps the item with its reason; retry uploads again.
import type { kefu } from '@kefu/proto';
import { fileContent, imageContent, voiceContent, type UploadKind } from './cards.js';
import type { SignedUrls } from './signed-urls.js';
import type { ChatPlatform, PendingItem } from './state.js';
import { uploadErrorCode } from './uploads.js';

export interface UploadMeta {
  /** Voice: what the recorder measured (the server's measurement wins). */
  durationMs?: number;
  /** Files: the file's own name and size. */
  name?: string;
  size?: number;
  quoteMessageId?: string;
}

/** What the flow needs from the chat. */
export interface UploadDeps<F> {
  readonly server: string;
  readonly platform: ChatPlatform<F>;
  readonly signed: SignedUrls;
  pending(): PendingItem<F>[];
  setPending(list: PendingItem<F>[]): void;
  /** The conversation to upload into (opened first if needed), and the session's token. */
  target(): Promise<{ conversationId: string; token: string }>;
  send(content: kefu.v1.IContent, quoteMessageId?: string): void;
  failed(message: string): void;
}

function placeholder(kind: UploadKind, meta: UploadMeta): kefu.v1.IContent {
  if (kind === 'image') return { image: {} };
  if (kind === 'voice') return { voice: { durationMs: meta.durationMs ?? 0 } };
  return { file: { name: meta.name ?? '', sizeBytes: meta.size ?? 0 } };
}

/** Uploads `file` as pending item `localId` (a new one, or a failed one again), then sends it. */
export async function uploadAndSend<F>(
  deps: UploadDeps<F>,
  kind: UploadKind,
  file: F,
  localId: string,
  meta: UploadMeta,
): Promise<void> {
  const preview = kind === 'image' ? deps.platform.preview?.(file) : undefined;
  const name = meta.name ?? '';
  const quote = meta.quoteMessageId;
  const item: PendingItem<F> = {
    id: localId,
    content: placeholder(kind, meta),
    state: 'uploading',
    progress: 0,
    file,
    kind,
    createdAt: Date.now(),
    ...(preview === undefined ? {} : { preview }),
    ...(name ? { fileName: name } : {}),
    ...(quote ? { quoteMessageId: quote } : {}),
  };
  deps.setPending([...deps.pending().filter((p) => p.id !== localId), item]);
  const update = (patch: Partial<PendingItem<F>>): void => {
    deps.setPending(deps.pending().map((p) => (p.id === localId ? { ...p, ...patch } : p)));
  };
  try {
    const { conversationId, token } = await deps.target();
    const ready =
      kind === 'image' && deps.platform.prepareImage ? await deps.platform.prepareImage(file) : file;
    const up = await deps.platform.upload({
      url: `${deps.server}/api/v1/uploads?conversation_id=${encodeURIComponent(conversationId)}&kind=${kind}`,
      token,
      kind,
      file: ready,
      ...(name ? { name } : {}),
      onProgress: (p) => {
        update({ progress: p });
      },
    });
    deps.setPending(deps.pending().filter((p) => p.id !== localId));
    if (preview !== undefined) deps.platform.releasePreview?.(preview);
    deps.signed.remember(up);
    const content =
      kind === 'image'
        ? imageContent(up)
        : kind === 'voice'
          ? voiceContent(up, meta.durationMs)
          : fileContent(up, name);
    deps.send(content, quote);
  } catch (err) {
    update({ state: 'failed', error: uploadErrorCode(err) });
    deps.failed(err instanceof Error ? err.message : String(err));
  }
}

/** The same upload again for a failed item (its kind, file, name and quote). */
export function retryUpload<F>(deps: UploadDeps<F>, item: PendingItem<F>): Promise<void> {
  if (item.file === undefined) return Promise.resolve();
  const c = item.content;
  return uploadAndSend(deps, item.kind ?? 'image', item.file, item.id, {
    durationMs: c.voice?.durationMs ?? 0,
    name: item.fileName ?? '',
    size: c.file?.sizeBytes ?? 0,
    ...(item.quoteMessageId ? { quoteMessageId: item.quoteMessageId } : {}),
  });
}
