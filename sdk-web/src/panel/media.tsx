// Uploaded media in a message: images, voice clips and files load through signed URLs (elements cannot
// send the bearer token), fetched once per upload.
import type { kefu } from '@kefu/proto';
import { formatFileSize } from '@kefu/sdk-core';
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat } from './chat.js';
import type { Strings } from './i18n.js';

/** The signed URL of an upload (or `fallback` made absolute when there is no upload id). */
function useMediaUrl(
  chat: Chat,
  uploadId: string,
  fallback: string,
  thumb: boolean,
): { src?: string; failed: boolean } {
  const [state, setState] = useState<{ src?: string; failed: boolean }>({ failed: false });
  useEffect(() => {
    let live = true;
    const load = uploadId ? chat.mediaUrl(uploadId, thumb) : Promise.resolve(chat.absolute(fallback));
    load.then(
      (src) => {
        if (live) setState({ src, failed: false });
      },
      () => {
        if (live) setState({ failed: true });
      },
    );
    return () => {
      live = false;
    };
  }, [uploadId, fallback]);
  return state;
}

export function ImageView({
  chat,
  t,
  image,
}: {
  chat: Chat;
  t: Strings;
  image: kefu.v1.IImage;
}): JSX.Element {
  const id = image.uploadId ?? '';
  const { src, failed } = useMediaUrl(chat, id, image.thumbnailUrl || image.url || '', true);
  if (failed) return <span>{t.failedLoad}</span>;
  const open = (): void => {
    void chat.mediaUrl(id, false).then((u) => window.open(u, '_blank', 'noopener'));
  };
  return <img class="im" src={src} alt={t.image} onClick={open} />;
}

/** Voice clips are small server-converted MP3s: their header loads so the controls show the length. */
export function VoiceView({
  chat,
  t,
  voice,
}: {
  chat: Chat;
  t: Strings;
  voice: kefu.v1.IVoice;
}): JSX.Element {
  const { src, failed } = useMediaUrl(chat, voice.uploadId ?? '', voice.url ?? '', false);
  if (failed) return <span>{t.failedLoad}</span>;
  return <audio controls src={src} preload="metadata" aria-label={t.voice} />;
}

/** A file card: its name, size and a download link (the server sends files as attachments). */
export function FileView({ chat, t, file }: { chat: Chat; t: Strings; file: kefu.v1.IFile }): JSX.Element {
  const { src, failed } = useMediaUrl(chat, file.uploadId ?? '', file.url ?? '', false);
  return (
    <div class="bb kefu-file" data-testid="file-card">
      <span class="kefu-file-icon" aria-hidden="true">
        📄
      </span>
      <span class="kefu-file-info">
        <span class="kefu-file-name">{file.name || t.file}</span>
        <span class="kefu-file-size">{formatFileSize(file.sizeBytes ?? 0)}</span>
      </span>
      {file.uploadId &&
        (failed ? (
          <span class="kefu-file-size">{t.failedLoad}</span>
        ) : (
          <a
            class="kefu-file-download"
            href={src}
            download={file.name || undefined}
            target="_blank"
            rel="noopener noreferrer"
          >
            {t.download}
          </a>
        ))}
    </div>
  );
}
