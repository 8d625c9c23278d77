/**
 * Runtime translations. Host code calls `vscode.l10n.t`, which reads the bundle VS Code picked for its display
 * language (l10n/bundle.l10n.<language>.json). The pure core, the engine and the webview call `l10n.t` of
 * `@vscode/l10n` instead; each bundle (extension.js, engine.js, webview.js) holds its own copy of that module,
 * and each copy is configured with the same bundle: this bundle's copy at activation, the engine's when it
 * loads (src/host/engineLoader.ts), the webview's from its page (src/host/studio/studioHtml.ts).
 */

import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

/** The translations VS Code loaded for its display language; undefined in English (the sources are English). */
export function l10nBundle(): Readonly<Record<string, string>> | undefined {
  return vscode.l10n.bundle;
}

/** Points the core code in this bundle at the same translations as `vscode.l10n.t`. */
export function configureCoreL10n(): void {
  const contents = l10nBundle();
  if (contents) {
    l10n.config({ contents });
  }
}
