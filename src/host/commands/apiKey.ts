/** Seedream: Set API Key / Clear API Key. */

import * as vscode from 'vscode';
import { imagesEndpoint } from '../../core/trust/urlPolicy';
import { readSettings } from '../config';
import { showError } from '../notifications';
import type { Command, CommandServices } from './commandManager';

export class SetApiKeyCommand implements Command {
  static readonly id = 'seedream.setApiKey';

  constructor(private readonly services: CommandServices) {}

  async execute(): Promise<boolean> {
    try {
      // The key is stored for the server it is meant for: the one seedream.baseUrl names now.
      const key = await this.services.keys.prompt(imagesEndpoint(readSettings().baseUrl).origin);
      if (key) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Seedream API key saved in VS Code secret storage.'));
      }
      return Boolean(key);
    } catch (error) {
      void showError(error);
      return false;
    }
  }
}

export class ClearApiKeyCommand implements Command {
  static readonly id = 'seedream.clearApiKey';

  constructor(private readonly services: CommandServices) {}

  async execute(): Promise<void> {
    await this.services.keys.clear();
    void vscode.window.showInformationMessage(vscode.l10n.t('Seedream API key removed from VS Code secret storage.'));
  }
}
