/** Entry point: wires the VS Code layer together. Activation only happens on the extension's own commands. */

import * as vscode from 'vscode';
import { trackActiveEditor } from './host/activeEditor';
import { registerCommands } from './host/commands';
import { ImageGenerator } from './host/generation';
import { disposeLog } from './host/log';
import { ApiKeyStore } from './host/secrets';

export function activate(context: vscode.ExtensionContext): void {
  const keys = new ApiKeyStore(context.secrets);
  const version = String(context.extension.packageJSON.version ?? '0.0.0');
  const generator = new ImageGenerator(keys, `seedream-studio/${version} (vscode ${vscode.version})`);
  context.subscriptions.push(trackActiveEditor(), ...registerCommands({ keys, generator }), { dispose: disposeLog });
}

export function deactivate(): void {}
