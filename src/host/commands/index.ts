/** Every command of the extension, registered in one place. package.json declares the same ids. */

import * as vscode from 'vscode';
import type { ImageGenerator } from '../generation';
import { logChannel } from '../log';
import type { ApiKeyStore } from '../secrets';
import { clearApiKeyCommand, setApiKeyCommand } from './apiKey';
import { generateFromSelectionCommand } from './generateFromSelection';
import { generateImageCommand } from './generateImage';

export interface CommandServices {
  readonly keys: ApiKeyStore;
  readonly generator: ImageGenerator;
  readonly openStudio: () => void;
}

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  const commands: Record<string, (...args: never[]) => unknown> = {
    'seedream.generateImage': generateImageCommand(services.generator),
    'seedream.generateFromSelection': generateFromSelectionCommand(services.generator),
    'seedream.setApiKey': setApiKeyCommand(services.keys),
    'seedream.clearApiKey': clearApiKeyCommand(services.keys),
    'seedream.showLog': () => logChannel().show(),
    'seedream.openStudio': () => services.openStudio(),
  };
  return Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
