/** Entry point: wires the VS Code layer together. Activation only happens on the extension's own commands and on restoring the Image Studio. */

import * as vscode from 'vscode';
import { trackActiveEditor } from './host/activeEditor';
import { registerCommands } from './host/commands';
import { ImageGenerator } from './host/generation';
import { disposeLog } from './host/log';
import { ApiKeyStore } from './host/secrets';
import { createStudio } from './host/studio';

export function activate(context: vscode.ExtensionContext): void {
  const keys = new ApiKeyStore(context.secrets);
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const generator = new ImageGenerator(keys, `seedream-studio/${version} (vscode ${vscode.version})`);
  const studio = createStudio(context, generator, keys);
  context.subscriptions.push(trackActiveEditor(), generator, studio, ...registerCommands({ keys, generator, openStudio: studio.open }), { dispose: disposeLog });
}

export function deactivate(): void {}
