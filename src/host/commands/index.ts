/** Every command of the extension, registered in one place. package.json declares the same ids. */

import * as vscode from 'vscode';
import {
  GENERATE_ALL_IN_FILE,
  GENERATE_ALL_IN_WORKSPACE,
  GENERATE_MISSING_IMAGE,
  generateAllMissingImagesCommand,
  generateMissingImageCommand,
} from '../docs/missingImageCommands';
import { IMAGE_VARIATIONS, OPEN_IMAGE_IN_STUDIO, REGENERATE_IMAGE } from '../docs/imageHover';
import { imageVariationsCommand, openImageInStudioCommand, regenerateImageCommand } from '../docs/imageRevisionCommands';
import { keepBillChoicesIn } from '../config';
import type { ImageGenerator } from '../generation';
import { logChannel } from '../log';
import type { ApiKeyStore } from '../secrets';
import type { StudioOpenOptions } from '../studio';
import type { HistoryStore } from '../studio/historyStore';
import { clearApiKeyCommand, setApiKeyCommand } from './apiKey';
import { generateFromSelectionCommand } from './generateFromSelection';
import { EDIT_IMAGE, editImageCommand } from './editImage';
import { generateImageCommand } from './generateImage';

export interface CommandServices {
  readonly keys: ApiKeyStore;
  readonly generator: ImageGenerator;
  readonly openStudio: (options?: StudioOpenOptions) => void;
  readonly history: HistoryStore;
  /** This workspace's storage, where the answers about its settings' bill are kept. */
  readonly workspaceState: vscode.Memento;
}

export function registerCommands(services: CommandServices): vscode.Disposable[] {
  keepBillChoicesIn(services.workspaceState);
  const commands: Record<string, (...args: never[]) => unknown> = {
    'seedream.generateImage': generateImageCommand(services.generator),
    'seedream.generateFromSelection': generateFromSelectionCommand(services.generator),
    [EDIT_IMAGE]: editImageCommand(services.generator),
    'seedream.setApiKey': setApiKeyCommand(services.keys),
    'seedream.clearApiKey': clearApiKeyCommand(services.keys),
    'seedream.showLog': () => logChannel().show(),
    'seedream.openStudio': () => services.openStudio(),
    [GENERATE_MISSING_IMAGE]: generateMissingImageCommand(services),
    [GENERATE_ALL_IN_FILE]: generateAllMissingImagesCommand(services, 'file'),
    [GENERATE_ALL_IN_WORKSPACE]: generateAllMissingImagesCommand(services, 'workspace'),
    [REGENERATE_IMAGE]: regenerateImageCommand(services),
    [IMAGE_VARIATIONS]: imageVariationsCommand(services),
    [OPEN_IMAGE_IN_STUDIO]: openImageInStudioCommand(services),
  };
  return Object.entries(commands).map(([id, handler]) => vscode.commands.registerCommand(id, handler));
}
