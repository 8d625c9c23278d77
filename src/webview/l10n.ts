/**
 * The page's translations: the host writes the bundle of VS Code's display language into the page
 * (`data-l10n` on the root, src/host/studio/studioHtml.ts). Imported first by main.ts, so every `l10n.t` of the
 * webview runs after this.
 */

import * as l10n from '@vscode/l10n';

const bundle = document.getElementById('studio')?.dataset.l10n;
if (bundle) {
  l10n.config({ contents: JSON.parse(bundle) as Record<string, string> });
}
