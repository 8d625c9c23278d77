/**
 * The API key lives in VS Code's SecretStorage only. It leaves it solely as the Authorization header of
 * API requests; it is never written to settings, logs, messages or the webview.
 */

import * as vscode from 'vscode';

const SECRET_KEY = 'seedream.apiKey';
/** Read when no key is stored, for CI machines and shells that already export it. */
export const API_KEY_ENVIRONMENT_VARIABLE = 'APIYI_API_KEY';

export class ApiKeyStore {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async get(): Promise<string | undefined> {
    const stored = await this.secrets.get(SECRET_KEY);
    return stored || process.env[API_KEY_ENVIRONMENT_VARIABLE]?.trim() || undefined;
  }

  async hasStoredKey(): Promise<boolean> {
    return Boolean(await this.secrets.get(SECRET_KEY));
  }

  store(key: string): Thenable<void> {
    return this.secrets.store(SECRET_KEY, key);
  }

  clear(): Thenable<void> {
    return this.secrets.delete(SECRET_KEY);
  }

  /** Asks for a key with a password box and stores it; undefined when the user cancels. */
  async prompt(reason?: string): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: 'Seedream: API Key',
      prompt: `${reason ? `${reason} ` : ''}Paste your API key. It is kept in VS Code's secret storage, never in settings.`,
      placeHolder: 'sk-...',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => validateKeyInput(value),
    });
    if (key === undefined) {
      return undefined;
    }
    const trimmed = key.trim();
    await this.store(trimmed);
    return trimmed;
  }
}

export function validateKeyInput(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed.length === 0) {
    return 'Enter the key, or press Escape to cancel.';
  }
  if (/\s/.test(trimmed)) {
    return 'An API key has no spaces or line breaks: copy it again from the provider console.';
  }
  return undefined;
}
