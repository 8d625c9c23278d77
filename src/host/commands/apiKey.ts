/** Seedream: Set API Key / Clear API Key. */

import * as vscode from 'vscode';
import { imagesEndpoint } from '../../core/trust/urlPolicy';
import { readSettings } from '../config';
import { showError } from '../notifications';
import type { ApiKeyStore } from '../secrets';

export function setApiKeyCommand(keys: ApiKeyStore) {
  return async (): Promise<boolean> => {
    try {
      // The key is stored for the server it is meant for: the one seedream.baseUrl names now.
      const key = await keys.prompt(imagesEndpoint(readSettings().baseUrl).origin);
      if (key) {
        void vscode.window.showInformationMessage(vscode.l10n.t('Seedream API key saved in VS Code secret storage.'));
      }
      return Boolean(key);
    } catch (error) {
      void showError(error);
      return false;
    }
  };
}

export function clearApiKeyCommand(keys: ApiKeyStore) {
  return async (): Promise<void> => {
    await keys.clear();
    void vscode.window.showInformationMessage(vscode.l10n.t('Seedream API key removed from VS Code secret storage.'));
  };
}
