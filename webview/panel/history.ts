/**
 * Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z (Cmd on macOS) in the panel: the panel's edits are edits of the
 * experiment file, so undo and redo are sent to the host, which steps the file's own history. A text
 * field whose value differs from what the page rendered keeps the keys for its own typing.
 */
import { post } from './host.js';

/** 'undo', 'redo', or undefined for any other key. */
export function historyAction(e: KeyboardEvent): 'undo' | 'redo' | undefined {
  const mod = navigator.platform.startsWith('Mac') ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey;
  if (!mod || e.altKey) return undefined;
  const key = e.key.toLowerCase();
  if (key === 'z') return e.shiftKey ? 'redo' : 'undo';
  if (key === 'y' && !e.shiftKey) return 'redo';
  return undefined;
}

/** Value of each text field when it got focus or last committed a change (what the file holds). */
const committed = new WeakMap<HTMLInputElement | HTMLTextAreaElement, string>();

function textField(target: EventTarget | null): HTMLInputElement | HTMLTextAreaElement | undefined {
  if (target instanceof HTMLTextAreaElement) return target;
  if (target instanceof HTMLInputElement && ['text', 'number', 'search'].includes(target.type)) return target;
  return undefined;
}

/** True when the focused element is a text field holding typing of its own (not yet sent to the file). */
function typingInField(target: EventTarget | null): boolean {
  const field = textField(target);
  return !!field && field.value !== (committed.get(field) ?? field.value);
}

/** Installs the key handler on the page. */
export function routeHistoryKeys(): void {
  const remember = (e: Event) => {
    const field = textField(e.target);
    if (field) committed.set(field, field.value);
  };
  window.addEventListener('focusin', remember);
  window.addEventListener('change', remember, true);
  window.addEventListener('keydown', (e) => {
    const action = historyAction(e);
    if (!action || typingInField(e.target)) return;
    e.preventDefault();
    post('history', { action });
  });
}
