/**
 * Tab past the panel's last control (Shift+Tab before its first) leaves the panel. Left to the
 * browser, focus drops out of the webview's frames onto the workbench's body, and the next Tab enters
 * the panel again at its first control: the keyboard cannot get out. VS Code's accessibility guidance
 * moves between a webview and the rest of the workbench with "Focus Next Part" / "Focus Previous Part"
 * (F6 / Shift+F6, https://code.visualstudio.com/docs/configure/accessibility/accessibility#_tab-navigation),
 * so at either end the page asks the host to run those commands instead.
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
    if (e.key !== 'Tab' || e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented) return;
    const all = tabbables();
    if (all.length === 0) return;
    const end = e.shiftKey ? all[0] : all[all.length - 1];
    if (document.activeElement !== end) return;
    e.preventDefault();
    post('focusExit', { direction: e.shiftKey ? 'previous' : 'next' });
  });
}
