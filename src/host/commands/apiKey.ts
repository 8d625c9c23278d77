/** Seedream: Set API Key / Clear API Key. */

import * as vscode from 'vscode';
import type { ApiKeyStore } from '../secrets';

export function setApiKeyCommand(keys: ApiKeyStore) {
  return async (): Promise<boolean> => {
    const key = await keys.prompt();
    if (key) {
      void vscode.window.showInformationMessage('Seedream API key saved in VS Code secret storage.');
    }
    return Boolean(key);
  };
}

export function clearApiKeyCommand(keys: ApiKeyStore) {
  return async (): Promise<void> => {
    await keys.clear();
    void vscode.window.showInformationMessage('Seedream API key removed from VS Code secret storage.');
  };
}
