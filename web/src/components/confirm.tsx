/**
 * A modal confirmation on the native <dialog> (showModal: the page behind is inert). Focus starts on
 * the confirm button and Tab cycles inside; Escape, Cancel or a click outside cancels; on close the
 * focus goes back to the control that opened it.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

const FOCUSABLE = 'button:not([disabled]), a[href], input:not([disabled]), select, textarea, [tabindex="0"]';

/** Tab past the last control goes to the first, Shift+Tab past the first to the last. */
function keepTabInside(e: KeyboardEvent, box: HTMLElement): void {
  if (e.key !== 'Tab') return;
  const items = [...box.querySelectorAll<HTMLElement>(FOCUSABLE)];
  if (items.length === 0) return;
  const first = items[0]!;
  const last = items[items.length - 1]!;
  const at = document.activeElement;
  const leaving = e.shiftKey ? at === first || !box.contains(at) : at === last || !box.contains(at);
  if (!leaving) return;
  e.preventDefault();
  (e.shiftKey ? last : first).focus();
}

/**
 * Focus back on the control that opened the dialog. Live updates may have re-rendered it while the
 * dialog was open (a new element in its place): then the control of the same kind and text.
 */
function focusAgain(opener: HTMLElement | undefined): void {
  if (!opener) return;
  if (opener.isConnected) return opener.focus();
  const text = opener.textContent;
  const again = [...document.querySelectorAll<HTMLElement>(opener.tagName)].find((e) => e.textContent === text);
  again?.focus();
}

export function Confirm({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  opener: openedBy,
}: {
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** The control that opened it, taken when it was pressed (by the time this renders, a live update may have replaced it). */
  opener?: HTMLElement | undefined;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const active = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    const opener = openedBy ?? active;
    const d = dialog.current!;
    if (!d.open) d.showModal();
    button.current?.focus();
    return () => {
      if (d.open) d.close();
      focusAgain(opener);
      // The browser may still move focus while the dialog leaves the page (its focus fixup):
      // if it ended on the page itself, put it back once the frame settles.
      requestAnimationFrame(() => {
        if (document.activeElement === document.body) focusAgain(opener);
      });
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      class="dialog card"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        // Escape: the page decides when the dialog goes (it unmounts it).
        e.preventDefault();
        onCancel();
      }}
      onKeyDown={(e) => keepTabInside(e, dialog.current!)}
      // A click on the backdrop lands on the <dialog> itself; the content fills it.
      onClick={(e) => e.target === dialog.current && onCancel()}
    >
      <div class="dialog-body">
        <h2 id="confirm-title">{title}</h2>
        {children}
        <div class="actions">
          <button type="button" class="ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="button" class="danger" ref={button} onClick={onConfirm}>
            {confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  );
}
