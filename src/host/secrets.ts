/**
 * The API key lives in VS Code's SecretStorage only. It leaves it solely as the Authorization header of
 * API requests; it is never written to settings, logs, messages or the webview. A stored key is tied to
 * the origin it was entered for: before it goes to another one, the user is asked.
 */

import * as vscode from 'vscode';
import { imagesEndpoint } from '../core/urlPolicy';

const SECRET_KEY = 'seedream.apiKey';
const SECRET_ORIGIN = 'seedream.apiKeyOrigin';
/** Read when no key is stored, for CI machines and shells that already export it. */
export const API_KEY_ENVIRONMENT_VARIABLE = 'APIYI_API_KEY';

export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    /** Asks whether the key may go to a new origin; replaceable so the rule is testable without a dialog. */
    private readonly askToSendKey: (storedOrigin: string | undefined, origin: string) => Thenable<KeyChoice> = askWithDialog,
  ) {}

  /** Whether a key is available, without saying anything about it (the Studio shows only this). */
  async hasKey(): Promise<boolean> {
    return Boolean((await this.secrets.get(SECRET_KEY)) || environmentKey());
  }

  /**
   * The key to send to `baseUrl`: the stored one if it was entered for that origin (or the user agrees to
   * send it there), else the environment's, else one the user enters now. Undefined when the user declines.
   */
  async keyFor(baseUrl: string): Promise<string | undefined> {
    const origin = imagesEndpoint(baseUrl).origin;
    const stored = await this.secrets.get(SECRET_KEY);
    if (!stored) {
      return environmentKey() ?? (await this.prompt(origin, 'No API key is set yet.'));
    }
    const storedOrigin = await this.secrets.get(SECRET_ORIGIN);
    // Exact origins: "api.example.com.evil.net" must not pass for "api.example.com".
    if (storedOrigin === origin) {
      return stored;
    }
    const choice = await this.askToSendKey(storedOrigin, origin);
    if (choice === 'send') {
      await this.secrets.store(SECRET_ORIGIN, origin);
      return stored;
    }
    return choice === 'replace' ? this.prompt(origin) : undefined;
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    await this.secrets.delete(SECRET_ORIGIN);
  }

  /** Asks for a key for `origin` with a password box and stores it; undefined when the user cancels. */
  async prompt(origin: string, reason?: string): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: 'Seedream: API Key',
      prompt: `${reason ? `${reason} ` : ''}Paste your API key for ${origin}. It is kept in VS Code's secret storage, never in settings.`,
      placeHolder: 'sk-...',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => validateKeyInput(value),
    });
    if (key === undefined) {
      return undefined;
    }
    const trimmed = key.trim();
    await this.secrets.store(SECRET_KEY, trimmed);
    await this.secrets.store(SECRET_ORIGIN, origin);
    return trimmed;
  }
}

export type KeyChoice = 'send' | 'replace' | 'cancel';

async function askWithDialog(storedOrigin: string | undefined, origin: string): Promise<KeyChoice> {
  const send = `Send It to ${origin}`;
  const replace = 'Enter Another Key';
  const choice = await vscode.window.showWarningMessage(
    `Your Seedream API key was entered for ${storedOrigin ?? 'another server'}, but seedream.baseUrl now points to ${origin}. Send the key there?`,
    { modal: true, detail: 'Only do this if you trust that server: it will be able to use your key.' },
    send,
    replace,
  );
  return choice === send ? 'send' : choice === replace ? 'replace' : 'cancel';
}

function environmentKey(): string | undefined {
  return process.env[API_KEY_ENVIRONMENT_VARIABLE]?.trim() || undefined;
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
