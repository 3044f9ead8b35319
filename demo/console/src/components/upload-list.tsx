// The composer's uploads in progress, and the refused ones with the reason in words and a retry.
import type { JSX } from 'preact';
import { errorDetail, errorText } from '../error-text.js';
import type { Translate } from '../i18n/index.js';
import { useStore } from '../store.js';
import { dismissUpload, retryUpload } from '../uploads.js';
import type { Workbench } from '../workbench.js';

export function UploadList({ wb, id, t }: { wb: Workbench; id: string; t: Translate }): JSX.Element {
  const all = useStore(wb.store, (s) => s.uploads);
  const uploads = all.filter((u) => u.conversationId === id);
  return (
    <>
      {uploads.map((u) => (
        <div class="upload" key={u.id} data-upload={u.kind}>
          <span class="upload-name">{u.kind === 'voice' ? t('voice') : u.name}</span>{' '}
          {u.error ? (
            <>
              <span class="error" role="alert" title={errorDetail(u.error)}>
                {t('uploadFailedWhy', { reason: errorText(t, u.error) })}
              </span>{' '}
              <button
                type="button"
                class="link"
                onClick={() => {
                  retryUpload(wb, u);
                }}
              >
                {t('retry')}
              </button>
              <button
                type="button"
                class="link"
                aria-label={t('dismiss')}
                onClick={() => {
                  dismissUpload(wb, u.id);
                }}
              >
                ×
              </button>
            </>
          ) : (
            t('uploading', { p: Math.round(u.progress * 100) })
          )}
        </div>
      ))}
    </>
  );
}
