/** A modal confirmation: focus on the confirm button, Escape or Cancel closes it. */
import { useEffect, useRef } from 'preact/hooks';
import type { ComponentChildren } from 'preact';

export function Confirm({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  children?: ComponentChildren;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    button.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onCancel();
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);
  return (
    <div class="backdrop" onClick={onCancel}>
      <div
        class="dialog card"
        role="dialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        onClick={(e) => e.stopPropagation()}
      >
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
    </div>
  );
}
