/** Entry point: wires the VS Code layer together. Activation only happens on the extension's own commands and on restoring the Image Studio. */

import * as vscode from 'vscode';
import { trackActiveEditor } from './host/activeEditor';
import { registerCommands } from './host/commands';
import { ImageGenerator } from './host/generation';
import { disposeLog } from './host/log';
import { removeLeftoverTemporaryFiles } from './host/leftovers';
import { ApiKeyStore } from './host/secrets';
import { createStudio } from './host/studio';

export function activate(context: vscode.ExtensionContext): void {
  const keys = new ApiKeyStore(context.secrets);
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const generator = new ImageGenerator({
    keys,
    userAgent: `seedream-studio/${version} (vscode ${vscode.version})`,
    state: context.globalState,
    rescueFolder: vscode.Uri.joinPath(context.globalStorageUri, 'rescued'),
  });
  const studio = createStudio(context, generator, keys);
  // After activation, off its path: nothing here is urgent.
  const sweep = setTimeout(() => void removeLeftoverTemporaryFiles(context.globalState), 5000);
  context.subscriptions.push({ dispose: () => clearTimeout(sweep) }, trackActiveEditor(), generator, studio, ...registerCommands({ keys, generator, openStudio: studio.open }), { dispose: disposeLog });
}
