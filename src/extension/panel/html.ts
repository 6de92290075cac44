/**
 * The panel's HTML shell: a strict Content-Security-Policy (no inline styles, scripts only with this
 * load's nonce, resources only from the extension's `media/` folder through `asWebviewUri`, nothing
 * from the network), the stylesheet `media/panel.css` and the bundle `media/panel.js` (built from
 * `webview/panel/` by esbuild). The webview script builds the DOM from the state the host pushes.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

/** A fresh nonce for one page load (base64 of 18 random bytes). */
export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

/** The Content-Security-Policy of the panel. */
export function panelCsp(cspSource: string, nonce: string): string {
  return ["default-src 'none'", `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`, `img-src ${cspSource} data:`, `font-src ${cspSource}`].join('; ');
}

/** The folder the webview may load from (its `localResourceRoots`). */
export function mediaRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'media');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page for `webview`, titled `title`. */
export function panelHtml(webview: vscode.Webview, extensionUri: vscode.Uri, title: string): string {
  const nonce = makeNonce();
  const media = mediaRoot(extensionUri);
  const css = webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.css'));
  const js = webview.asWebviewUri(vscode.Uri.joinPath(media, 'panel.js'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${panelCsp(webview.cspSource, nonce)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${css.toString()}">
<title>${escapeHtml(title)}</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="loading">Loading the experiment…</p></main>
<script nonce="${nonce}" src="${js.toString()}"></script>
</body>
</html>`;
}
