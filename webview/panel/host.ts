/**
 * The page's side of the typed contract (`src/protocol/webview.ts`): `post(type, payload)` accepts only
 * a command name with its own payload, and `saved()` / `save()` wrap VS Code's `getState` / `setState`
 * (what survives hiding the panel and reloading the window).
 */
import type { PersistedPanelState, WebviewToHostMessages } from '../../src/protocol/webview.js';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

/** Sends a command or notification to the extension host. */
export function post<K extends keyof WebviewToHostMessages>(type: K, payload: WebviewToHostMessages[K]): void {
  api.postMessage({ type, payload });
}

/** The state saved by an earlier page of this panel, if any. */
export function saved(): Partial<PersistedPanelState> {
  const s = api.getState();
  return typeof s === 'object' && s !== null ? (s as Partial<PersistedPanelState>) : {};
}

/** Saves (merges) the page state. */
export function save(patch: Partial<PersistedPanelState>): void {
  api.setState({ ...saved(), ...patch });
}
