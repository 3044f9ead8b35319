// A modal question inside the panel (WAI-ARIA alertdialog): focus starts on the safe choice and stays
// in the dialog (Tab wraps), Esc cancels without closing the panel, focus returns where it was.
import { useEffect, useRef } from 'preact/hooks';
import type { JSX } from 'preact';

export interface ConfirmProps {
  title: string;
  text: string;
  confirmLabel: string;
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog(props: ConfirmProps): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const root = box.current?.getRootNode() as Document | ShadowRoot | undefined;
    const before = root?.activeElement as HTMLElement | null | undefined;
    cancel.current?.focus();
    return () => before?.focus();
  }, []);
  const onKeyDown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      props.onCancel();
    } else if (e.key === 'Tab') {
      const buttons = [...(box.current?.querySelectorAll('button') ?? [])];
      const root = box.current?.getRootNode() as ShadowRoot | undefined;
      const at = buttons.indexOf(root?.activeElement as HTMLButtonElement);
      const next = buttons[(at + (e.shiftKey ? -1 : 1) + buttons.length) % buttons.length];
      e.preventDefault();
      next?.focus();
    }
  };
  return (
    <div class="kefu-backdrop">
      <div
        ref={box}
        class="kefu-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="kefu-dialog-title"
        aria-describedby="kefu-dialog-text"
        onKeyDown={onKeyDown}
      >
        <h3 id="kefu-dialog-title">{props.title}</h3>
        <p id="kefu-dialog-text">{props.text}</p>
        <div class="row">
          <button ref={cancel} type="button" class="btn g" onClick={props.onCancel}>
            {props.cancelLabel}
          </button>
          <button type="button" class="btn" onClick={props.onConfirm}>
            {props.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
