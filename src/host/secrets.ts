/**
 * The API key lives in VS Code's SecretStorage only. It leaves it solely as the Authorization header of
 * API requests; it is never written to settings, logs, messages or the webview. A stored key is tied to
 * the origin it was entered for, the environment's key to the default server's (and this machine's):
 * before either goes to another origin, the user is asked (once per origin).
 */

import * as vscode from 'vscode';
import { checkKeyCharacters, keyMayGoUnasked, parseApprovedOrigins, validateKeyInput } from '../core/trust/apiKeyPolicy';
import { imagesEndpoint } from '../core/trust/urlPolicy';
import { SETTINGS } from '../core/model/settings';

const SECRET_KEY = 'seedream.apiKey';
const SECRET_ORIGIN = 'seedream.apiKeyOrigin';
/** The origins the user agreed to send the environment's key to, as a JSON list. */
const SECRET_ENVIRONMENT_KEY_ORIGINS = 'seedream.environmentKeyOrigins';
/** Read when no key is stored, for CI machines and shells that already export it. */
export const API_KEY_ENVIRONMENT_VARIABLE = 'APIYI_API_KEY';

/** What the user is asked before the key goes to an origin it is not tied to. */
export type KeyQuestion =
  | { readonly source: 'stored'; readonly storedOrigin: string | undefined; readonly origin: string }
  | { readonly source: 'environment'; readonly defaultOrigin: string | undefined; readonly origin: string };

export class ApiKeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    /** Asks whether the key may go to a new origin; replaceable so the rule is testable without a dialog. */
    private readonly askToSendKey: (question: KeyQuestion) => Thenable<KeyChoice> = askWithDialog,
  ) {}

  /** Whether a key is available, without saying anything about it (the Studio shows only this). */
  async hasKey(): Promise<boolean> {
    return Boolean((await this.secrets.get(SECRET_KEY)) || environmentKey());
  }

  /**
   * The key to send to `baseUrl`: the stored one if it was entered for that origin (or the user agrees to
   * send it there), else the environment's likewise, else one the user enters now. Undefined when the user
   * declines; a SeedreamError offering Set API Key when the key has a character no key has.
   */
  async keyFor(baseUrl: string): Promise<string | undefined> {
    const origin = imagesEndpoint(baseUrl).origin;
    const stored = await this.secrets.get(SECRET_KEY);
    if (stored) {
      throwIfDefined(checkKeyCharacters(stored, { source: 'stored' }));
      const storedOrigin = await this.secrets.get(SECRET_ORIGIN);
      if (keyMayGoUnasked(origin, { source: 'stored', storedOrigin })) {
        return stored;
      }
      return this.sendIfAgreed(stored, { source: 'stored', storedOrigin, origin }, () => this.secrets.store(SECRET_ORIGIN, origin));
    }
    const environment = environmentKey();
    if (!environment) {
      return this.prompt(origin, vscode.l10n.t('No API key is set yet.'));
    }
    throwIfDefined(checkKeyCharacters(environment, { source: 'environment', variable: API_KEY_ENVIRONMENT_VARIABLE }));
    const approvedOrigins = parseApprovedOrigins(await this.secrets.get(SECRET_ENVIRONMENT_KEY_ORIGINS));
    const defaultOrigin = defaultApiOrigin();
    if (keyMayGoUnasked(origin, { source: 'environment', defaultOrigin, approvedOrigins })) {
      return environment;
    }
    return this.sendIfAgreed(environment, { source: 'environment', defaultOrigin, origin }, () =>
      this.secrets.store(SECRET_ENVIRONMENT_KEY_ORIGINS, JSON.stringify([...approvedOrigins, origin])),
    );
  }

  async clear(): Promise<void> {
    await this.secrets.delete(SECRET_KEY);
    await this.secrets.delete(SECRET_ORIGIN);
    await this.secrets.delete(SECRET_ENVIRONMENT_KEY_ORIGINS);
  }

  /** Asks for a key for `origin` with a password box and stores it; undefined when the user cancels. */
  async prompt(origin: string, reason?: string): Promise<string | undefined> {
    const key = await vscode.window.showInputBox({
      title: vscode.l10n.t('Seedream: API Key'),
      prompt: [reason, vscode.l10n.t("Paste your API key for {0}. It is kept in VS Code's secret storage, never in settings.", origin)]
        .filter(Boolean)
        .join(' '),
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

  /** Asks; `remember` ties the key to the new origin when the user agrees, so the question comes once. */
  private async sendIfAgreed(key: string, question: KeyQuestion, remember: () => Thenable<void>): Promise<string | undefined> {
    const choice = await this.askToSendKey(question);
    if (choice === 'send') {
      await remember();
      return key;
    }
    return choice === 'replace' ? this.prompt(question.origin) : undefined;
  }
}

export type KeyChoice = 'send' | 'replace' | 'cancel';

async function askWithDialog(question: KeyQuestion): Promise<KeyChoice> {
  const { origin } = question;
  const send = vscode.l10n.t('Send It to {0}', origin);
  const replace = vscode.l10n.t('Enter Another Key');
  const message =
    question.source === 'stored'
      ? vscode.l10n.t(
          'Your Seedream API key was entered for {0}, but seedream.baseUrl now points to {1}. Send the key there?',
          question.storedOrigin ?? vscode.l10n.t('another server'),
          origin,
        )
      : vscode.l10n.t(
          'The API key from the environment variable {0} is meant for {1}, but seedream.baseUrl points to {2}. Send the key there?',
          API_KEY_ENVIRONMENT_VARIABLE,
          question.defaultOrigin ?? vscode.l10n.t('the default server'),
          origin,
        );
  const choice = await vscode.window.showWarningMessage(
    message,
    {
      modal: true,
      detail: vscode.l10n.t('Only do this if you trust that server: it will be able to use your key. You are asked once for each server.'),
    },
    send,
    replace,
  );
  return choice === send ? 'send' : choice === replace ? 'replace' : 'cancel';
}

function environmentKey(): string | undefined {
  return process.env[API_KEY_ENVIRONMENT_VARIABLE]?.trim() || undefined;
}

/** The origin of seedream.baseUrl's default. */
function defaultApiOrigin(): string {
  return imagesEndpoint(SETTINGS.baseUrl.default).origin;
}

function throwIfDefined(error: Error | undefined): void {
  if (error) {
    throw error;
  }
}
