/**
 * Entry point: wires the VS Code layer together. Activation happens on the extension's own commands, on
 * restoring the Image Studio, on opening a docs file (whose image links it checks), and when a chat calls one
 * of its language-model tools (VS Code derives that event from the contributed tools).
 */

import * as vscode from 'vscode';
import { trackActiveEditor } from './host/activeEditor';
import { registerCommands } from './host/commands';
import { ImageGenerator } from './host/generation';
import { configureCoreL10n } from './host/l10n';
import { disposeLog } from './host/log';
import { removeLeftoverTemporaryFiles } from './host/leftovers';
import { ApiKeyStore } from './host/secrets';
import { registerDocsFeatures } from './host/docs';
import { watchDocsSites } from './host/docsSites';
import { createStudio } from './host/studio';
import { registerTools } from './host/tools';
import { trackWalkthroughProgress } from './host/walkthroughProgress';

export function activate(context: vscode.ExtensionContext): void {
  configureCoreL10n();
  const keys = new ApiKeyStore(context.secrets);
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const generator = new ImageGenerator({
    keys,
    userAgent: `seedream-studio/${version} (vscode ${vscode.version})`,
    state: context.globalState,
    rescueFolder: vscode.Uri.joinPath(context.globalStorageUri, 'rescued'),
    previewFolder: vscode.Uri.joinPath(context.globalStorageUri, 'previews'),
    generatorName: `Seedream Studio ${version}`,
  });
  const studio = createStudio(context, generator, keys);
  // After activation, off its path: nothing here is urgent.
  const sweep = setTimeout(() => void removeLeftoverTemporaryFiles(context.globalState, generator.previewFolder), 5000);
  context.subscriptions.push(
    { dispose: () => clearTimeout(sweep) },
    trackActiveEditor(),
    generator,
    studio,
    watchDocsSites(),
    registerDocsFeatures(generator, studio.history),
    trackWalkthroughProgress(keys, context.secrets.onDidChange, generator),
    registerCommands({ keys, generator, openStudio: studio.open, history: studio.history, workspaceState: context.workspaceState }),
    ...registerTools({ keys, generator }),
    { dispose: disposeLog },
  );
}
