// Keyboard shortcuts on the workbench (the table is in shortcuts.ts) and the `?` help overlay that lists
// them. Moving between conversations keeps the focus where the agent works: on the list row of the newly
// selected conversation when it was on the list, in its composer when it was in the composer.
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import { SHORTCUT_HELP, shortcutOf } from '../shortcuts.js';
import type { Workbench } from '../workbench.js';

/** Whether keys typed into this element are text (inputs, text areas, editable content). */
function isTextField(el: Element | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(el.type);
  return el.isContentEditable;
}

const composer = (): HTMLTextAreaElement | null =>
  document.querySelector<HTMLTextAreaElement>('.composer textarea');

/** After the next paint (the new conversation's rows and composer are rendered). */
const afterPaint = (fn: () => void): void => {
  requestAnimationFrame(() => {
    requestAnimationFrame(fn);
  });
};

async function move(wb: Workbench, by: -1 | 1): Promise<void> {
  const active = document.activeElement;
  const inList = !!active?.closest('.conversations');
  const inComposer = !!active?.closest('.composer');
  await wb.move(by);
  afterPaint(() => {
    const id = wb.state.selected;
    if (inList && id)
      document.querySelector<HTMLElement>(`.conv[data-conversation="${CSS.escape(id)}"]`)?.focus();
    else if (inComposer) composer()?.focus();
  });
}

export function useShortcuts(
  wb: Workbench,
  enabled: boolean,
  help: { open: boolean; set: (open: boolean) => void },
): void {
  const latest = useRef({ enabled, help });
  latest.current = { enabled, help };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const { enabled, help } = latest.current;
      const action = shortcutOf(e, isTextField(document.activeElement));
      if (!action) return;
      if (action === 'escape') {
        if (help.open) help.set(false);
        else if (wb.state.dialog) wb.store.set({ dialog: undefined });
        else return;
        e.preventDefault();
        return;
      }
      if (action === 'help') {
        e.preventDefault();
        help.set(!help.open);
        return;
      }
      if (!enabled || help.open) return;
      e.preventDefault();
      const c = wb.summaryOf(wb.state.selected);
      const writable = !!c && c.agent_uid === wb.me.uid && c.status === 'open';
      if (action === 'prevConversation' || action === 'nextConversation') {
        void move(wb, action === 'prevConversation' ? -1 : 1);
      } else if (action === 'focusComposer') {
        composer()?.focus();
      } else if (action === 'toggleNote' && writable) {
        wb.store.set({ noteMode: !wb.state.noteMode });
      } else if (action === 'closeConversation' && writable) {
        wb.store.set({ dialog: 'close' });
        afterPaint(() =>
          document.querySelector<HTMLElement>('form.dialog select, form.dialog textarea')?.focus(),
        );
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [wb]);
}

export function ShortcutHelp({ t, onClose }: { t: Translate; onClose: () => void }): JSX.Element {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeButton.current?.focus();
    return () => before?.focus();
  }, []);
  return (
    <div
      class="overlay"
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose();
      }}
    >
      <div class="help" role="dialog" aria-modal="true" aria-label={t('shortcutsHelp')}>
        <h2>{t('shortcutsHelp')}</h2>
        <table>
          <tbody>
            {SHORTCUT_HELP.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  <kbd>{keys}</kbd>
                </td>
                <td>{t(what)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" ref={closeButton} onClick={onClose}>
          {t('closeHelp')}
        </button>
      </div>
    </div>
  );
}
