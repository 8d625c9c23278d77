/** Every command of the extension, registered in one place. package.json declares the same ids (test/unit/manifest.test.ts). */

import type * as vscode from 'vscode';
import { ImageVariationsCommand, OpenImageInStudioCommand, RegenerateImageCommand } from '../docs/imageRevisionCommands';
import {
  GenerateAllMissingImagesInFileCommand,
  GenerateAllMissingImagesInWorkspaceCommand,
  GenerateMissingImageCommand,
} from '../docs/missingImageCommands';
import { keepBillChoicesIn } from '../config';
import { ClearApiKeyCommand, SetApiKeyCommand } from './apiKey';
import { CommandManager, type CommandServices, type CommandType } from './commandManager';
import { GenerateFromSelectionCommand } from './generateFromSelection';
import { EditImageCommand } from './editImage';
import { GenerateImageCommand } from './generateImage';
import { OpenStudioCommand } from './openStudio';
import { ShowLogCommand } from './showLog';

export type { CommandServices } from './commandManager';

/** A new command goes here, and into package.json's contributes.commands. */
export const COMMANDS: readonly CommandType[] = [
  GenerateImageCommand,
  GenerateFromSelectionCommand,
  EditImageCommand,
  SetApiKeyCommand,
  ClearApiKeyCommand,
  ShowLogCommand,
  OpenStudioCommand,
  GenerateMissingImageCommand,
  GenerateAllMissingImagesInFileCommand,
  GenerateAllMissingImagesInWorkspaceCommand,
  RegenerateImageCommand,
  ImageVariationsCommand,
  OpenImageInStudioCommand,
];

export function registerCommands(services: CommandServices): vscode.Disposable {
  keepBillChoicesIn(services.workspaceState);
  const manager = new CommandManager(services);
  COMMANDS.forEach((command) => manager.register(command));
  return manager;
}
