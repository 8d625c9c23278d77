/**
 * The Studio page: a shell that loads the bundled script and styles. Nothing runs without the per-load
 * nonce, nothing loads from outside the extension and the output folders, and every value written into
 * the markup is escaped.
 */

import { parentPath } from '../../core/files/posixPath';
import { randomNonce } from '../../core/files/random';
import * as vscode from 'vscode';

/**
 * `translations`: the bundle of VS Code's display language (undefined in English). The page reads it before
 * its first render (src/webview/l10n.ts), so the Studio never shows a flash of English.
 */
export function studioHtml(
  webview: vscode.Webview,
  extensionUri: vscode.Uri,
  translations: Readonly<Record<string, string>> | undefined,
): string {
  const nonce = randomNonce();
  const asset = (...path: string[]): string => escapeHtml(webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString());
  const source = escapeHtml(webview.cspSource);
  const csp = [
    `default-src 'none'`,
    `img-src ${source}`,
    `style-src ${source}`,
    `font-src ${source}`,
    `script-src 'nonce-${escapeHtml(nonce)}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset('dist', 'codicons', 'codicon.css')}">
<link rel="stylesheet" href="${asset('media', 'studio.css')}">
<title>${escapeHtml(vscode.l10n.t('Image Studio'))}</title>
</head>
<body>
<main id="studio" class="studio" aria-label="${escapeHtml(vscode.l10n.t('Image Studio'))}"${translations ? ` data-l10n="${escapeHtml(JSON.stringify(translations))}"` : ''}></main>
<script nonce="${escapeHtml(nonce)}" src="${asset('dist', 'webview.js')}"></script>
</body>
</html>`;
}

/**
 * Where the page may load files from: the extension's own assets, the workspace folders (the output
 * folder always lies inside one) and the folders of earlier images that were saved elsewhere.
 */
export function studioResourceRoots(extensionUri: vscode.Uri, previewFolder: vscode.Uri, imageFiles: readonly vscode.Uri[]): vscode.Uri[] {
  const folders = vscode.workspace.workspaceFolders?.map((folder) => folder.uri) ?? [];
  const outside = imageFiles
    .filter((file) => !vscode.workspace.getWorkspaceFolder(file))
    .map((file) => file.with({ path: parentPath(file.path) }));
  const unique = new Map([...folders, ...outside].map((uri) => [uri.toString(), uri]));
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media'), previewFolder, ...unique.values()];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}
