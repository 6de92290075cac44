/**
 * Tab past the panel's last control leaves the panel. Left to the browser, focus drops out of the
 * webview's frames onto the workbench's body, and the next Tab enters the panel again at its first
 * control: the keyboard cannot get out (measured in code-server 1.139). VS Code's accessibility
 * guidance moves between a webview and the rest of the workbench with F6 ("Focus Next Part",
 * https://code.visualstudio.com/docs/configure/accessibility/accessibility#_tab-navigation), but from
 * inside a webview F6 lands on the webview again: the webview's frame is an overlay outside the editor
 * part, so the workbench cannot tell which part has the focus and starts over at the editor. So at the
 * last control the page asks the host to focus the part after the editor area, the status bar.
 * Shift+Tab before the first control is left to the browser: it reaches the workbench (measured).
 */
import { post } from './host.js';

const TABBABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/** The controls Tab reaches, in document order (no element of the page sets a positive tabindex). */
function tabbables(): HTMLElement[] {
  return Array.from(document.querySelectorAll<HTMLElement>(TABBABLE)).filter((e) => e.getClientRects().length > 0 && !e.closest('[hidden], [inert]'));
}

/** Installs the key handler on the page. */
export function routeFocusExit(): void {
  window.addEventListener('keydown', (e) => {
    if (e.key !== 'Tab' || e.shiftKey || e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
    const all = tabbables();
    if (all.length === 0 || document.activeElement !== all[all.length - 1]) return;
    e.preventDefault();
    post('focusExit', { direction: 'next' });
  });
}
